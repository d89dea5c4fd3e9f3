package dev.prompttune.core.train;

import dev.prompttune.core.EnumKeys;
import java.util.List;

/**
 * What training minimises, by its name in specs and records ({@link #key()}).
 *
 * <ul>
 *   <li>{@code sequence} (the paper's): cross-entropy of the example's target text over the whole vocabulary, token
 *       by token. The prompt must first make the label words likely at all, then tell the classes apart.</li>
 *   <li>{@code classes}: cross-entropy over the task's classes, each class scored as rank classification scores it
 *       (the log-likelihood of its target text, eos included): −log softmax over classes of score(true class). It
 *       trains exactly the quantity dev and test are ranked by, so no step is spent on the label words' prior
 *       against the rest of the vocabulary (the verbalizer-restricted loss of PET, Schick &amp; Schütze 2021). Needs
 *       a classification task; chance level is ln(number of classes).</li>
 * </ul>
 */
public enum TrainingLoss {
    SEQUENCE("sequence"),
    CLASSES("classes");

    private final String key;

    TrainingLoss(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static List<String> keys() {
        return EnumKeys.keys(values(), TrainingLoss::key);
    }

    /** The loss named {@code key}; a clear error naming the allowed ones otherwise. */
    public static TrainingLoss of(String key) {
        return EnumKeys.of(values(), TrainingLoss::key, "loss", key);
    }
}
