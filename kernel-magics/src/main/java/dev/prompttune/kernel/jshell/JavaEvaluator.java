package dev.prompttune.kernel.jshell;

import dev.prompttune.kernel.Bindings;
import dev.prompttune.kernel.CellException;
import dev.prompttune.kernel.CooperativeInterrupt;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Java cells through JShell, in this JVM: splits a cell into snippets, evaluates them, returns the real value
 * of a trailing expression, and offers completion, inspection and is-complete analysis.
 * <p>
 * Display rule: the last snippet's value is the cell's result when it is an expression written without a
 * trailing semicolon ({@code x + 1}), like IPython's {@code ;} suppression; {@code display(x);} therefore shows
 * only what {@code display} publishes. Magic calls always return their value. Null is never displayed.
 * <p>
 * Not thread-safe: one cell at a time (the kernel's shell thread); {@link #interrupt()} may be called from any
 * thread.
 */
public final class JavaEvaluator implements AutoCloseable {

    public static final String NOTEBOOK_CLASS = "dev.prompttune.kernel.Notebook";
    public static final String LINE_MAGIC_CALL = NOTEBOOK_CLASS + ".runLineMagic(";
    public static final String CELL_MAGIC_CALL = NOTEBOOK_CLASS + ".runCellMagic(";

    /** The jshell tool's default imports, plus java.time, then the notebook functions. */
    public static final List<String> DEFAULT_STARTUP = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "import static " + NOTEBOOK_CLASS + ".*;");

    /** One snippet of a cell: its source as JShell sees it and where it starts in the cell. */
    public record Chunk(String source, int start, boolean displayable) {
    }

    /** Completion matches replacing {@code [start, end)} of the cell. */
    public record Completion(List<String> matches, int start, int end) {
    }

    private final JShell shell;
    private final InProcessExecutionControl control;
    private volatile boolean interruptRequested;
    private volatile Thread evaluating;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public JavaEvaluator(Collection<String> classpath, List<String> startup, long interruptGraceMillis) {
        this.control = new InProcessExecutionControl(interruptGraceMillis);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        this.shell = JShell.builder()
                .executionEngine(new InProcessExecutionControlProvider(control), Map.of())
                .out(discard)
                .err(discard)
                .in(new ByteArrayInputStream(new byte[0]))
                .build();
        for (String entry : classpath) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        for (String s : startup) {
            for (SnippetEvent ev : shell.eval(s)) {
                if (ev.causeSnippet() == null && ev.status() == Snippet.Status.REJECTED) {
                    String diag = shell.diagnostics(ev.snippet())
                            .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.joining("; "));
                    throw new IllegalStateException("JShell startup snippet rejected: " + s + " (" + diag + ")");
                }
            }
        }
    }

    /**
     * This JVM's class path (absolute entries, plus jars named by a jar manifest's Class-Path, as with
     * {@code java -jar}), for compiling cells against the kernel and its libraries.
     */
    public static List<String> jvmClasspath() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                File f = new File(e).getAbsoluteFile();
                out.add(f.getPath());
                out.addAll(manifestClasspath(f));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> manifestClasspath(File jar) {
        if (!jar.isFile() || !jar.getName().endsWith(".jar")) {
            return List.of();
        }
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar)) {
            java.util.jar.Manifest mf = jf.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
            if (cp == null || cp.isBlank()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String rel : cp.trim().split("\\s+")) {
                File f = new File(jar.getParentFile(), rel);
                if (f.exists()) {
                    out.add(f.getAbsolutePath());
                }
            }
            return out;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    public JShell jshell() {
        return shell;
    }

    public boolean isEvaluating() {
        return evaluating != null;
    }

    /**
     * Evaluates a cell (Java code, magics already resolved).
     *
     * @return the cell's value (see the display rule in the class comment) or null
     * @throws CellException compile error, runtime exception or interrupt
     */
    public Object eval(String code) {
        if (evaluating != null) {
            throw new IllegalStateException("cannot evaluate Java while a cell is running "
                    + "(a nested evaluation from inside a cell would deadlock JShell)");
        }
        generation.incrementAndGet();
        interruptRequested = false;
        CooperativeInterrupt.consumeHandled();
        Bindings.takePending();
        evaluating = Thread.currentThread();
        try {
            List<Chunk> chunks = split(code);
            Map<String, Integer> startLineOfSnippet = new HashMap<>();
            Tracebacks.SnippetLocator locator = (id, line) -> {
                Integer start = startLineOfSnippet.get(id);
                return start == null ? null : "cell line " + (start + line);
            };
            Object result = null;
            for (int i = 0; i < chunks.size(); i++) {
                if (interruptRequested) {
                    throw CellException.interrupted();
                }
                Chunk chunk = chunks.get(i);
                int startLine = lineIndex(code, chunk.start());
                SnippetEvent ev = primaryEvent(shell.eval(chunk.source()));
                declareBindings();
                // Work that handled the interrupt itself (a training run that stopped and kept its best prompt)
                // ends the cell normally when it was the cell's last statement, so its result is shown.
                boolean handled = interruptRequested && CooperativeInterrupt.consumeHandled();
                if (interruptRequested && !(handled && i == chunks.size() - 1)) {
                    throw CellException.interrupted();
                }
                if (ev == null) {
                    continue;
                }
                Snippet sn = ev.snippet();
                startLineOfSnippet.put(sn.id(), startLine);
                if (ev.status() == Snippet.Status.REJECTED) {
                    throw Tracebacks.fromDiagnostics(chunk.source(), shell.diagnostics(sn).toList(),
                            l -> startLine + l + 1);
                }
                if (ev.exception() != null) {
                    throw runtimeError(ev.exception(), locator);
                }
                warnIfUnresolved(ev);
                if (i == chunks.size() - 1 && chunk.displayable()) {
                    result = valueOf(ev);
                }
            }
            return result;
        } finally {
            evaluating = null;
        }
    }

    /**
     * Asks the running cell to stop: interrupts its thread(s) and, after a grace period, stops it the hard way.
     * The cell then fails with ename {@value CellException#INTERRUPTED}. No-op when nothing runs.
     */
    public void interrupt() {
        if (evaluating == null) {
            return;
        }
        long gen = generation.get();
        interruptRequested = true;
        // The request may come while JShell is still compiling (no user code running yet, so stop() would
        // be a no-op): keep stopping until this cell's code has ended.
        Thread stopper = new Thread(() -> {
            while (evaluating != null && generation.get() == gen) {
                if (control.isRunning()) {
                    try {
                        shell.stop(); // interrupt, grace period, then hard stop
                    } catch (RuntimeException | Error e) {
                        System.err.println("prompttune kernel: interrupt failed: " + e);
                        return;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "prompttune-interrupt");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Splits a cell into JShell snippets (complete ones; an unfinished or invalid rest becomes one last chunk). */
    public List<Chunk> split(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        List<Chunk> out = new ArrayList<>();
        int offset = 0;
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo info = sca.analyzeCompletion(rest);
            Completeness c = info.completeness();
            String remaining = info.remaining();
            if (c == Completeness.EMPTY) {
                // only comments/whitespace before `remaining`
                if (remaining.isBlank() || remaining.length() >= rest.length()) {
                    break;
                }
                offset += rest.length() - remaining.length();
                rest = remaining;
                continue;
            }
            // UNKNOWN reports isComplete() == true: treat it (and anything unfinished) as one rejected rest.
            if (c == Completeness.UNKNOWN || !c.isComplete() || info.source() == null
                    || remaining.length() >= rest.length()) {
                String src = rest.stripLeading();
                out.add(new Chunk(src, offset + rest.length() - src.length(), false));
                break;
            }
            // JShell numbers runtime frames from the snippet's first non-blank line: drop leading blanks.
            String src = info.source().stripLeading();
            int at = rest.indexOf(src);
            if (at < 0) {
                at = rest.indexOf(src.endsWith(";") ? src.substring(0, src.length() - 1) : src);
            }
            out.add(new Chunk(src, offset + Math.max(at, 0), isMagicCall(src) || !endsWithSemicolon(src)));
            offset += rest.length() - remaining.length();
            rest = remaining;
        }
        return out;
    }

    /** Jupyter is_complete: "complete", "invalid", or the indent to continue an unfinished cell with. */
    public String isComplete(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo info = sca.analyzeCompletion(rest);
            switch (info.completeness()) {
                case UNKNOWN:
                    return "invalid";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return indentFor(code);
                case EMPTY:
                    return "complete";
                default:
                    if (info.remaining().length() >= rest.length()) {
                        return "complete";
                    }
                    rest = info.remaining();
            }
        }
        return "complete";
    }

    /** Completion at {@code cursor}: JShell suggestions for the snippet the cursor is in. */
    public Completion complete(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int start = snippetStartBefore(code, at);
        String input = code.substring(start, at);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(input, input.length(), anchor);
        Set<String> typed = new LinkedHashSet<>();
        Set<String> other = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? typed : other).add(s.continuation());
        }
        typed.addAll(other);
        return new Completion(new ArrayList<>(typed), start + anchor[0], at);
    }

    /** Documentation text for what is at {@code cursor} (signatures; javadoc when the JDK has sources), or null. */
    public String inspect(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int start = snippetStartBefore(code, at);
        String input = code.substring(start, end);
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        List<SourceCodeAnalysis.Documentation> docs = sca.documentation(input, input.length(), true);
        if (docs.isEmpty()) {
            docs = sca.documentation(input + "(", input.length() + 1, true);
        }
        if (!docs.isEmpty()) {
            return docs.stream()
                    .map(d -> d.javadoc() == null || d.javadoc().isBlank()
                            ? d.signature() : d.signature() + "\n" + d.javadoc().strip())
                    .distinct()
                    .collect(Collectors.joining("\n"));
        }
        String ident = identifierEndingAt(code, end);
        if (!ident.isEmpty()) {
            VarSnippet v = activeVar(ident);
            if (v != null) {
                String value;
                try {
                    value = shell.varValue(v);
                } catch (RuntimeException e) {
                    value = "<" + e.getMessage() + ">";
                }
                return v.typeName() + " " + v.name() + " = " + value;
            }
        }
        String type = sca.analyzeType(input, input.length());
        return type == null || type.isBlank() ? null : input.strip() + " : " + type;
    }

    @Override
    public void close() {
        shell.close();
    }

    // ---------------------------------------------------------------------------------------------

    private int snippetStartBefore(String code, int at) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        int offset = 0;
        String rest = code.substring(0, at);
        while (!rest.isBlank()) {
            CompletionInfo info = sca.analyzeCompletion(rest);
            Completeness c = info.completeness();
            String remaining = info.remaining();
            boolean complete = c == Completeness.COMPLETE || c == Completeness.COMPLETE_WITH_SEMI || c == Completeness.EMPTY;
            if (!complete || remaining.isBlank() || remaining.length() >= rest.length()) {
                break;
            }
            offset += rest.length() - remaining.length();
            rest = remaining;
        }
        return offset;
    }

    /** Declares the variables magics bound ({@code Notebook.bind}) during the last snippet. */
    private void declareBindings() {
        for (Map.Entry<String, String> b : Bindings.takePending().entrySet()) {
            String code = "var " + b.getKey() + " = (" + b.getValue() + ") " + NOTEBOOK_CLASS + ".bound(\"" + b.getKey() + "\");";
            SnippetEvent ev = primaryEvent(shell.eval(code));
            if (ev == null || ev.status() != Snippet.Status.VALID || ev.exception() != null) {
                System.err.println("prompttune kernel: could not declare variable " + b.getKey() + " as " + b.getValue());
            }
        }
    }

    private static SnippetEvent primaryEvent(List<SnippetEvent> events) {
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() == null) {
                return ev;
            }
        }
        return null;
    }

    private Object valueOf(SnippetEvent ev) {
        if (ev.status() != Snippet.Status.VALID) {
            return null;
        }
        Snippet sn = ev.snippet();
        VarSnippet var = null;
        if (sn instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            var = v;
        } else if (sn instanceof ExpressionSnippet e && e.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            var = activeVar(e.name());
        }
        if (var == null) {
            return null;
        }
        VarSnippet target = var;
        try {
            return control.capture(() -> shell.varValue(target));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private VarSnippet activeVar(String name) {
        VarSnippet found = null;
        for (VarSnippet v : (Iterable<VarSnippet>) shell.variables()::iterator) {
            if (v.name().equals(name) && shell.status(v) == Snippet.Status.VALID) {
                found = v;
            }
        }
        return found;
    }

    private CellException runtimeError(JShellException e, Tracebacks.SnippetLocator locator) {
        if (interruptRequested) {
            return CellException.interrupted();
        }
        if (e instanceof EvalException ee) {
            return Tracebacks.fromEval(ee, locator);
        }
        if (e instanceof UnresolvedReferenceException ure) {
            String missing = shell.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", "));
            String msg = ure.getSnippet().kind().name().toLowerCase() + " " + describe(ure.getSnippet())
                    + " cannot be used until " + missing + " is declared";
            return new CellException("UnresolvedReferenceException", msg, List.of("UnresolvedReferenceException: " + msg));
        }
        return Tracebacks.fromThrowable(e);
    }

    private void warnIfUnresolved(SnippetEvent ev) {
        if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) ev.snippet())
                    .collect(Collectors.joining(", "));
            System.err.println("created " + ev.snippet().kind().name().toLowerCase() + " " + describe(ev.snippet())
                    + ", however, it cannot be used until " + missing + " is declared");
        }
    }

    private static String describe(Snippet s) {
        return s instanceof jdk.jshell.PersistentSnippet p ? p.name() : s.source().strip();
    }

    static boolean isMagicCall(String src) {
        String s = src.strip();
        return s.startsWith(LINE_MAGIC_CALL) || s.startsWith(CELL_MAGIC_CALL);
    }

    /** True when the snippet's code ends with ';' (ignoring a trailing // comment on its last line). */
    static boolean endsWithSemicolon(String src) {
        String s = src.stripTrailing();
        int nl = s.lastIndexOf('\n');
        String last = s.substring(nl + 1);
        int comment = last.indexOf("//");
        if (comment >= 0 && last.lastIndexOf('"', comment) < 0) {
            s = (s.substring(0, nl + 1) + last.substring(0, comment)).stripTrailing();
        }
        return s.endsWith(";");
    }

    private static int lineIndex(String code, int offset) {
        int n = 0;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String indentFor(String code) {
        String trimmed = code.stripTrailing();
        String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        return trimmed.endsWith("{") || trimmed.endsWith("(") ? indent + "    " : indent;
    }

    private static String identifierEndingAt(String code, int end) {
        int s = end;
        while (s > 0 && Character.isJavaIdentifierPart(code.charAt(s - 1))) {
            s--;
        }
        return code.substring(s, end);
    }
}
