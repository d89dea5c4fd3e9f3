package dev.prompttune.core.train;

import dev.prompttune.core.PromptTuneException;

/**
 * A split as the trainer sees it: per example the encoder input ids and target ids (eos included) and, for
 * classification, the class index; plus each class's target ids (for rank classification).
 *
 * @param inputs [N][T_i] input ids
 * @param targets [N][L_i] target ids
 * @param classes [N] class index per example (or null for pure generation tasks)
 * @param classTargets [C][L_c] target ids per class (or null)
 */
public record TokenizedTask(String name, long[][] inputs, long[][] targets, int[] classes, long[][] classTargets) {

    public TokenizedTask {
        if (inputs.length != targets.length || (classes != null && classes.length != inputs.length)) {
            throw new IllegalArgumentException("split " + name + ": inputs, targets and classes differ in length");
        }
    }

    public int size() {
        return inputs.length;
    }

    /** Fails with a clear message when the split has no examples. */
    public TokenizedTask requireNonEmpty() {
        if (inputs.length == 0) {
            throw new PromptTuneException("split '" + name + "' is empty; it needs at least one example");
        }
        return this;
    }

    public boolean isClassification() {
        return classes != null && classTargets != null;
    }
}
