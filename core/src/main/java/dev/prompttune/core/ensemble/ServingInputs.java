package dev.prompttune.core.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;

/**
 * Checks of what a caller hands {@link PromptBank} and {@link PromptEnsemble} directly, as token ids and arrays
 * rather than through a tokenizer: an id outside the vocabulary (ids of another tokenizer) was PyTorch's "index out of
 * range in self", a row without classes a division by zero inside attention, a NaN prompt scores of NaN.
 */
final class ServingInputs {

    private ServingInputs() {}

    /**
     * Every id of {@code ids} within [0, vocab); none empty.
     *
     * @param who  the caller, for the message ({@code prompt bank}, {@code ensemble})
     * @param what how a message names the ids, e.g. {@code "row 3's input"}
     */
    static void requireIds(long[] ids, int vocab, String who, String what) {
        if (ids == null) {
            throw new PromptTuneException(who + ": " + what + " is null; allowed: token ids (eos included)");
        }
        if (ids.length == 0) {
            throw new PromptTuneException(who + ": " + what + " has no token ids; allowed: at least eos");
        }
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new PromptTuneException(who + ": " + what + " has token id " + ids[t] + " at position " + t
                        + "; allowed: 0 to " + (vocab - 1) + " (the model's vocabulary; ids of another tokenizer?)");
            }
        }
    }

    /** The classes of one row: at least one, each a target of valid ids. */
    static void requireClasses(long[][] classTargets, int vocab, String who, String what) {
        if (classTargets == null || classTargets.length == 0) {
            throw new PromptTuneException(who + ": " + what + " has no classes; allowed: one target (token ids, "
                    + "eos included) per class, at least one class");
        }
        for (int c = 0; c < classTargets.length; c++) {
            requireIds(classTargets[c], vocab, who, what + " class " + c);
        }
    }

    /** A prompt [p, H] holding finite values only (a NaN scored NaN for every class). */
    static void requireFinite(String name, NDArray prompt) {
        try (NDManager scratch = NDManager.newBaseManager(prompt.getDevice())) {
            NDArray values = prompt.toType(DataType.FLOAT32, true);
            values.attach(scratch);
            float[] v = values.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new PromptTuneException("prompt bank: prompt '" + name + "' holds " + v[i] + " at row "
                            + i / prompt.getShape().get(1) + "; allowed: finite values");
                }
            }
        }
    }

    /** A generation length within what a spec may ask for. */
    static void requireNewTokens(int maxNewTokens) {
        if (maxNewTokens < 1 || maxNewTokens > PromptTuneSpec.MAX_SEQUENCE_LENGTH) {
            throw new PromptTuneException("prompt bank: maxNewTokens is " + maxNewTokens + "; allowed: 1 to "
                    + PromptTuneSpec.MAX_SEQUENCE_LENGTH);
        }
    }
}
