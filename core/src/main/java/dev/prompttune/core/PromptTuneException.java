package dev.prompttune.core;

/**
 * An error the user can act on: bad input, a bad file, a bad setting.
 *
 * <p>The message is one line that names the thing (a file, a setting, a tensor), the bad value and what is
 * allowed. Front ends (CLI, DSL, notebook) print {@link #getMessage()} alone, without a stack trace; anything
 * that is not a {@code PromptTuneException} is a bug in prompttune and keeps its stack trace.
 */
public class PromptTuneException extends RuntimeException {

    public PromptTuneException(String message) {
        super(message);
    }

    public PromptTuneException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The user error {@code e} is or was caused by (front ends print its message alone), or null for a bug. */
    public static PromptTuneException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PromptTuneException p) {
                return p;
            }
        }
        return null;
    }
}
