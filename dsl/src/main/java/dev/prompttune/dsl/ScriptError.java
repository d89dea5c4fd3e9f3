package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A script's mistakes, one line each, {@code SCRIPT:LINE: what is wrong} (line 0 when it has none), in line order.
 * Compile-time errors (syntax, unknown keyword, wrong type, literal values out of range, missing settings, data that
 * does not fit the settings) are all reported together, as a compiler does, so no mistake hides another; a user
 * error at run time is one problem (the line is the script's innermost frame).
 */
public final class ScriptError extends PromptTuneException {

    /** One mistake: its script line (0: none) and what is wrong, on one line. */
    public record Problem(int line, String reason) {

        public Problem {
            reason = oneLine(reason);
        }
    }

    private final String script;
    private final List<Problem> problems;

    public ScriptError(String script, int line, String reason, Throwable cause) {
        this(script, List.of(new Problem(line, reason)), cause);
    }

    /** Several mistakes of one script; they are reported in line order (those without a line last). */
    public ScriptError(String script, List<Problem> problems, Throwable cause) {
        super(message(script, sorted(problems)), cause);
        this.script = script;
        this.problems = sorted(problems);
    }

    public String script() {
        return script;
    }

    /** The line of the first problem. */
    public int line() {
        return problems.get(0).line();
    }

    /** The first problem's message without the location. */
    public String reason() {
        return problems.get(0).reason();
    }

    /** Every problem, in line order. */
    public List<Problem> problems() {
        return problems;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a script error needs at least one problem");
        }
        List<Problem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE)); // stable: same line keeps order
        return List.copyOf(out);
    }

    private static String message(String script, List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        for (Problem p : problems) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(script).append(':').append(p.line()).append(": ").append(p.reason());
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
