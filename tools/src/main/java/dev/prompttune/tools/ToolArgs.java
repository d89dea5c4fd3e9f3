package dev.prompttune.tools;

import dev.prompttune.core.PromptTuneException;

/** Command-line values of the build tools that hand their arguments to a tool's own {@code main}. */
public final class ToolArgs {

    private ToolArgs() {}

    /**
     * {@code value} as an int, or an error naming {@code what} and the value (not a NumberFormatException's trace).
     */
    public static int integer(String what, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number");
        }
    }
}
