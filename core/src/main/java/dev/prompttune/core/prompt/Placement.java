package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the soft prompt goes in the encoder input (the reference code's three options).
 * Positions are per row: a suffix follows each row's own real tokens (its eos included), before padding, so a
 * row's encoding does not depend on what else is in the batch.
 */
public enum Placement {
    /** [P; x] — the paper's setting (default). */
    PREFIX,
    /** [x₀; P; x₁…] — after the first token (for inputs that start with a marker such as BOS). */
    AFTER_FIRST,
    /** [x; P] — after the input. */
    SUFFIX;

    /** The name used in specs, DSL and records: prefix, after_first, suffix. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Placement parse(String value) {
        for (Placement p : values()) {
            if (p.key().equals(value) || p.name().equals(value) || p.key().replace("_", "-").equals(value)) {
                return p;
            }
        }
        throw new PromptTuneException("placement '" + value + "' is not known; allowed: "
                + String.join(", ", Arrays.stream(values()).map(Placement::key).toList()));
    }

    /**
     * Position of prompt vector {@code j} (0-based) in a row with {@code length} real tokens, or where the row's
     * token {@code t} goes; the row's total real length becomes {@code length + p}.
     */
    int promptStart(int length) {
        return switch (this) {
            case PREFIX -> 0;
            case AFTER_FIRST -> Math.min(1, length);
            case SUFFIX -> length;
        };
    }
}
