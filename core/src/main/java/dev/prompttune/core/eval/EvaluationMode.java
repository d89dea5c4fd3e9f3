package dev.prompttune.core.eval;

import dev.prompttune.core.EnumKeys;
import java.util.List;

/**
 * How a split is scored, by its name in specs and records ({@link #key()}): {@code rank} classification (the label
 * whose target the model finds likeliest) or {@code generate} (greedy decoding, exact match with a label's target).
 */
public enum EvaluationMode {
    RANK("rank"),
    GENERATE("generate");

    private final String key;

    EvaluationMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static List<String> keys() {
        return EnumKeys.keys(values(), EvaluationMode::key);
    }

    /** The mode named {@code key}; a clear error naming the allowed ones otherwise. */
    public static EvaluationMode of(String key) {
        return EnumKeys.of(values(), EvaluationMode::key, "evaluation", key);
    }
}
