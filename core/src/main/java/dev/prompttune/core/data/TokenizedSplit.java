package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;

/**
 * A split tokenized once: per example the input ids (template rendered, eos appended, truncated to
 * {@code maxInputLength} with eos kept last), the target ids (verbalizer target + eos, truncated the same way to
 * {@code maxTargetLength}) and the class index. An example without the label field (an unlabeled test split) has
 * no target ids and class -1. Immutable; the arrays it returns are its own: do not modify them.
 *
 * <p>Obtain through {@link TokenizationCache} (or {@link TaskData#tokenize}) to tokenize a split only once.
 */
public final class TokenizedSplit {

    private final String name;
    private final String fingerprint;
    private final int[][] inputIds;
    private final int[][] targetIds;
    private final int[] labels;
    private final int[] inputLengths;
    private final int truncatedInputs;
    private final int truncatedTargets;
    private final int maxInputLength;
    private final int maxTargetLength;
    private final long padId;

    private TokenizedSplit(String name, String fingerprint, int[][] inputIds, int[][] targetIds, int[] labels,
            int truncatedInputs, int truncatedTargets, int maxInputLength, int maxTargetLength, long padId) {
        this.name = name;
        this.fingerprint = fingerprint;
        this.inputIds = inputIds;
        this.targetIds = targetIds;
        this.labels = labels;
        this.truncatedInputs = truncatedInputs;
        this.truncatedTargets = truncatedTargets;
        this.maxInputLength = maxInputLength;
        this.maxTargetLength = maxTargetLength;
        this.padId = padId;
        this.inputLengths = new int[inputIds.length];
        for (int i = 0; i < inputIds.length; i++) {
            inputLengths[i] = inputIds[i].length;
        }
    }

    /**
     * Tokenizes {@code split} now, without the cache.
     *
     * @throws PromptTuneException for a length below 1, a missing slot or an unknown label (naming the example)
     */
    public static TokenizedSplit tokenize(Split split, Template template, Verbalizer verbalizer,
            T5Tokenizer tokenizer, int maxInputLength, int maxTargetLength) {
        if (maxInputLength < 1 || maxTargetLength < 1) {
            throw new PromptTuneException("maximum lengths must be at least 1 (room for eos), got input "
                    + maxInputLength + " and target " + maxTargetLength);
        }
        int n = split.size();
        int[][] inputs = new int[n][];
        int[][] targets = new int[n][];
        int[] labels = new int[n];
        int cutInputs = 0;
        int cutTargets = 0;
        long eos = tokenizer.eosId();
        int[][] classTargets = new int[verbalizer.size()][];
        boolean[] classCut = new boolean[verbalizer.size()];
        int[] none = new int[0];
        for (int i = 0; i < n; i++) {
            if (i % 64 == 63) {
                DataInterrupts.check("tokenizing " + split.source());
            }
            Example e = split.get(i);
            long[] ids = tokenizer.encode(template.render(e), true);
            if (ids.length > maxInputLength) {
                cutInputs++;
            }
            inputs[i] = truncate(ids, maxInputLength, eos);
            if (!e.has(verbalizer.labelField())) {
                labels[i] = -1;
                targets[i] = none;
                continue;
            }
            int label = verbalizer.classOf(e);
            if (classTargets[label] == null) {
                long[] t = tokenizer.encode(verbalizer.targets().get(label), true);
                classCut[label] = t.length > maxTargetLength;
                classTargets[label] = truncate(t, maxTargetLength, eos);
            }
            labels[i] = label;
            targets[i] = classTargets[label];
            if (classCut[label]) {
                cutTargets++;
            }
        }
        return new TokenizedSplit(split.name(), split.fingerprint(), inputs, targets, labels, cutInputs,
                cutTargets, maxInputLength, maxTargetLength, tokenizer.padId());
    }

    /** {@code ids} as ints, cut to {@code max} keeping eos as the last id. */
    private static int[] truncate(long[] ids, int max, long eos) {
        int n = Math.min(ids.length, max);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        if (ids.length > max) {
            out[n - 1] = Math.toIntExact(eos);
        }
        return out;
    }

    /** The split's name ({@code train}, ...). */
    public String name() {
        return name;
    }

    /** The {@link Split#fingerprint()} of the data tokenized. */
    public String fingerprint() {
        return fingerprint;
    }

    public int size() {
        return inputIds.length;
    }

    /** Input ids of example {@code i}, ending with eos. */
    public int[] inputIds(int i) {
        return inputIds[i];
    }

    /** Target ids of example {@code i}, ending with eos; empty when the example has no label. */
    public int[] targetIds(int i) {
        return targetIds[i];
    }

    /** The class of example {@code i}, or -1 when it has no label. */
    public int labelIndex(int i) {
        return labels[i];
    }

    /** Input length of every example (after the cut to {@link #maxInputLength()}). */
    public int[] inputLengths() {
        return inputLengths;
    }

    /** How many inputs were longer than {@link #maxInputLength()} and cut. */
    public int truncatedInputs() {
        return truncatedInputs;
    }

    /** How many targets were longer than {@link #maxTargetLength()} and cut. */
    public int truncatedTargets() {
        return truncatedTargets;
    }

    public int maxInputLength() {
        return maxInputLength;
    }

    public int maxTargetLength() {
        return maxTargetLength;
    }

    /** The pad id of the tokenizer these ids came from. */
    public long padId() {
        return padId;
    }

    @Override
    public String toString() {
        return name + " tokenized: " + size() + " examples, " + truncatedInputs + " inputs cut to " + maxInputLength
                + ", " + truncatedTargets + " targets cut to " + maxTargetLength;
    }
}
