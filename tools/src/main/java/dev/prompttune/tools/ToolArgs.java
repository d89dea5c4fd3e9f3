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
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number"
                    + (value.strip().matches("[+-]?[0-9]+") ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : ""));
        }
    }

    /** {@link #integer(String, String)} that is at least {@code min}. */
    public static int integer(String what, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            // Digits past an int: the upper bound is what they miss; anything else is no number at all.
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number "
                    + (value.strip().matches("\\+?[0-9]+") ? "from " + min + " to " + Integer.MAX_VALUE : ">= " + min));
        }
        if (n < min) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number >= " + min);
        }
        return n;
    }

    /** {@code true} or {@code false}, nothing else (a typo is not silently false). */
    public static boolean bool(String what, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: true or false");
        }
        return value.equals("true");
    }
}
