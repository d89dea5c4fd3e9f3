package dev.prompttune.core.eval;

import dev.prompttune.core.PromptTuneException;
import java.util.Arrays;
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
        return Arrays.stream(values()).map(EvaluationMode::key).toList();
    }

    /** The mode named {@code key}; a clear error naming the allowed ones otherwise. */
    public static EvaluationMode of(String key) {
        for (EvaluationMode m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new PromptTuneException("evaluation '" + key + "' is not known; allowed: " + String.join(", ", keys()));
    }
}
