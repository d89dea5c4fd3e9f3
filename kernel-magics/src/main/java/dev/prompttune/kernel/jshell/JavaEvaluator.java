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
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                int startLine = CellText.lineIndex(code, chunk.start());
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
            out.add(new Chunk(src, offset + Math.max(at, 0), CellText.isMagicCall(src) || !CellText.endsWithSemicolon(src)));
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
                    return CellText.indentFor(code);
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
        return new CellAssist(shell).complete(code, cursor);
    }

    /** Documentation text for what is at {@code cursor} (signatures; javadoc when the JDK has sources), or null. */
    public String inspect(String code, int cursor) {
        return new CellAssist(shell).inspect(code, cursor);
    }

    @Override
    public void close() {
        shell.close();
    }

    // ---------------------------------------------------------------------------------------------

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
            var = activeVar(shell, e.name());
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

    static VarSnippet activeVar(JShell shell, String name) {
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
            String msg = ure.getSnippet().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + describe(ure.getSnippet())
                    + " cannot be used until " + missing + " is declared";
            return new CellException("UnresolvedReferenceException", msg, List.of("UnresolvedReferenceException: " + msg));
        }
        return Tracebacks.fromThrowable(e);
    }

    private void warnIfUnresolved(SnippetEvent ev) {
        if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) ev.snippet())
                    .collect(Collectors.joining(", "));
            System.err.println("created " + ev.snippet().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + describe(ev.snippet())
                    + ", however, it cannot be used until " + missing + " is declared");
        }
    }

    private static String describe(Snippet s) {
        return s instanceof jdk.jshell.PersistentSnippet p ? p.name() : s.source().strip();
    }
}
