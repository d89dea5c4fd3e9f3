package dev.prompttune.kernel.jshell;

import dev.prompttune.core.JavaHeap;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.kernel.CellException;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Turns exceptions into short, cell-relative tracebacks: user frames with cell line numbers, library frames
 * kept (capped), kernel/JShell/reflection plumbing dropped.
 */
public final class Tracebacks {

    static final int MAX_FRAMES = 25;
    static final int MAX_CAUSE_FRAMES = 8;
    static final int MAX_CAUSES = 4;

    /** Frames of these packages/classes are plumbing between the cell and user/library code. */
    private static final String[] HIDDEN_PREFIXES = {
            "jdk.internal.reflect.", "java.lang.reflect.Method.", "jdk.jshell.",
            "org.dflib.jjava.", "dev.prompttune.kernel.Notebook.", "dev.prompttune.kernel.jshell.",
            "dev.prompttune.kernel.PromptTuneKernel.", "java.lang.Thread.run",
    };

    private Tracebacks() {
    }

    /**
     * @param snippetLocation maps a JShell snippet id to "cell line N" style text for the line offset given;
     *                        returns null for snippets not from the current cell
     */
    public static CellException fromEval(EvalException e, SnippetLocator snippetLocation) {
        String ename = e.getExceptionClassName();
        String evalue = e.getMessage() == null ? "" : e.getMessage();
        if (ename.equals(OutOfMemoryError.class.getName())) {
            // The JVM's text names no remedy; the kernel's heap is set where the kernel is installed.
            evalue += "; the kernel's Java heap (" + JavaHeap.limit() + ") ran out: install it with a larger one "
                    + "(bin/prompttune kernel install --jvm-opt -Xmx8g) and restart the kernel";
        }
        List<String> tb = new ArrayList<>();
        tb.add(ename + (evalue.isEmpty() ? "" : ": " + evalue));
        if (isUserError(ename)) {
            appendCellFrames(tb, e.getStackTrace(), snippetLocation);
            return new CellException(ename, evalue, tb);
        }
        appendFrames(tb, e.getStackTrace(), MAX_FRAMES, snippetLocation);
        Throwable cause = e.getCause();
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            String cname = cause instanceof EvalException ee ? ee.getExceptionClassName() : cause.getClass().getName();
            String cmsg = cause.getMessage();
            tb.add("Caused by: " + cname + (cmsg == null ? "" : ": " + cmsg));
            appendFrames(tb, cause.getStackTrace(), MAX_CAUSE_FRAMES, snippetLocation);
        }
        return new CellException(ename, evalue, tb);
    }

    /** Any other throwable (raised by the kernel itself, a renderer, …). */
    public static CellException fromThrowable(Throwable t) {
        if (t instanceof CellException ce) {
            return ce;
        }
        String ename = t.getClass().getName();
        String evalue = t.getMessage() == null ? "" : t.getMessage();
        List<String> tb = new ArrayList<>();
        tb.add(ename + (evalue.isEmpty() ? "" : ": " + evalue));
        if (t instanceof PromptTuneException) {
            return new CellException(ename, evalue, tb);
        }
        appendFrames(tb, t.getStackTrace(), 10, null);
        Throwable cause = t.getCause();
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            tb.add("Caused by: " + cause);
            appendFrames(tb, cause.getStackTrace(), MAX_CAUSE_FRAMES, null);
        }
        return new CellException(ename, evalue, tb);
    }

    /** Compile errors of one snippet; {@code cellLineOfSnippetLine} maps a 0-based snippet line to a cell line. */
    public static CellException fromDiagnostics(String snippetSource, List<Diag> diags, IntFunction<Integer> cellLineOfSnippetLine) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) {
                continue;
            }
            String msg = d.getMessage(Locale.ROOT);
            String[] msgLines = msg.split("\\R");
            if (first == null) {
                first = msgLines[0];
            }
            long pos = Math.max(0, Math.min(d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition(), snippetSource.length()));
            long end = d.getEndPosition() >= pos ? Math.min(d.getEndPosition(), snippetSource.length()) : pos;
            int lineStart = snippetSource.lastIndexOf('\n', (int) pos - 1) + 1;
            int lineEnd = snippetSource.indexOf('\n', (int) pos);
            if (lineEnd < 0) {
                lineEnd = snippetSource.length();
            }
            int snippetLine = (int) snippetSource.substring(0, lineStart).chars().filter(c -> c == '\n').count();
            String line = snippetSource.substring(lineStart, lineEnd);
            int col = (int) pos - lineStart;
            int width = (int) Math.max(1, Math.min(end, lineEnd) - pos);
            tb.add("cell line " + cellLineOfSnippetLine.apply(snippetLine) + ": " + msgLines[0]);
            for (int i = 1; i < msgLines.length; i++) {
                if (!msgLines[i].isBlank() && !msgLines[i].strip().equals("location: class")) {
                    tb.add(msgLines[i]);
                }
            }
            tb.add("    " + line);
            tb.add("    " + " ".repeat(Math.max(0, col)) + "^" + (width > 1 ? "~".repeat(Math.min(width - 1, 80)) : ""));
        }
        if (first == null) {
            first = "the snippet was rejected";
            tb.add(first + ": " + snippetSource.strip());
        }
        tb.add(0, CellException.COMPILATION + ": " + first);
        return new CellException(CellException.COMPILATION, first, tb);
    }

    private static void appendFrames(List<String> out, StackTraceElement[] frames, int max, SnippetLocator locator) {
        int shown = 0;
        int hidden = 0;
        for (StackTraceElement f : frames) {
            String rendered = render(f, locator);
            if (rendered == null) {
                continue;
            }
            if (shown < max) {
                out.add("    at " + rendered);
                shown++;
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            out.add("    ... " + hidden + " more");
        }
    }

    /**
     * Whether an exception of this class is prompttune's word for bad input ({@link PromptTuneException}: a missing
     * file, a refused setting, a script mistake at cell:LINE). Its message says what is wrong and what is allowed,
     * as the command line prints it in one line; the library frames under it (PromptFile.load, Experiments.loadPrompt,
     * Groovy's compiler …) say nothing to the notebook's user, so only the cell's own lines are kept.
     */
    static boolean isUserError(String className) {
        try {
            return PromptTuneException.class.isAssignableFrom(
                    Class.forName(className, false, Tracebacks.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a class of the cell's own (JShell's loader), or gone: not ours
        }
    }

    /** The frames that point into the current cell ("at cell line 3"), nothing else. */
    private static void appendCellFrames(List<String> out, StackTraceElement[] frames, SnippetLocator locator) {
        for (StackTraceElement f : frames) {
            String file = f.getFileName();
            if (file != null && file.startsWith("#") && locator != null
                    && locator.locate(file.substring(1), f.getLineNumber()) != null) {
                out.add("    at " + render(f, locator));
            }
        }
    }

    /** One frame as text, or null to hide it. JShell rewrites snippet frames to file "#id", line in snippet. */
    static String render(StackTraceElement f, SnippetLocator locator) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            String where;
            String loc = locator == null ? null : locator.locate(file.substring(1), f.getLineNumber());
            where = loc != null ? loc : "snippet " + file + ", line " + f.getLineNumber();
            String cls = f.getClassName();
            String method = f.getMethodName();
            if (method != null && method.startsWith("lambda$")) {
                method = "lambda"; // lambda$do_it$$0, lambda$fail$1 …
            }
            String name = (cls == null || cls.isEmpty() ? "" : cls + ".") + (method == null ? "" : method);
            return name.isEmpty() ? where : name + " (" + where + ")";
        }
        String full = f.getClassName() + "." + f.getMethodName();
        for (String p : HIDDEN_PREFIXES) {
            if (full.startsWith(p)) {
                return null;
            }
        }
        return f.toString();
    }

    /** Maps (snippet id, 1-based snippet line) to a location text, or null when not from the current cell. */
    @FunctionalInterface
    public interface SnippetLocator {
        String locate(String snippetId, int snippetLine);
    }
}
