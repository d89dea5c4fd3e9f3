package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;

/**
 * A script's mistake, as one line: {@code SCRIPT:LINE: what is wrong} (line 0 when it has none). Raised for
 * compile-time errors (syntax, unknown keyword, wrong type, literal values out of range) and for user errors at
 * run time (the line is the script's innermost frame).
 */
public final class ScriptError extends PromptTuneException {

    private final String script;
    private final int line;
    private final String reason;

    public ScriptError(String script, int line, String reason, Throwable cause) {
        super(script + ":" + line + ": " + oneLine(reason), cause);
        this.script = script;
        this.line = line;
        this.reason = oneLine(reason);
    }

    public String script() {
        return script;
    }

    public int line() {
        return line;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
