package dev.prompttune.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import java.util.Arrays;

/**
 * One batch as right-padded row-major {@code long[]} arrays: input ids {@code [B, T]} padded with the tokenizer's
 * pad id, the attention mask {@code [B, T]} (1 for tokens, 0 for padding) and labels {@code [B, L]} padded with
 * {@value #IGNORE_INDEX}; T and L are the longest input and target in the batch. Also the example indices and
 * class indices of its rows. The arrays are its own: do not modify them.
 */
public final class Batch {

    /** The label value the loss ignores (padding), as in PyTorch and Hugging Face. */
    public static final long IGNORE_INDEX = -100;

    /** NDArray names set by {@link #toNDList(NDManager)}. */
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LABELS = "labels";

    private final int[] examples;
    private final int[] labelIndices;
    private final int inputLength;
    private final int targetLength;
    private final long[] inputIds;
    private final long[] attentionMask;
    private final long[] labels;
    private final long padId;

    private Batch(int[] examples, int[] labelIndices, int inputLength, int targetLength, long[] inputIds,
            long[] attentionMask, long[] labels, long padId) {
        this.examples = examples;
        this.labelIndices = labelIndices;
        this.inputLength = inputLength;
        this.targetLength = targetLength;
        this.inputIds = inputIds;
        this.attentionMask = attentionMask;
        this.labels = labels;
        this.padId = padId;
    }

    /**
     * The batch of {@code data}'s examples {@code indices}, in that order.
     *
     * @throws PromptTuneException if {@code indices} is empty or an index is out of range
     */
    public static Batch of(TokenizedSplit data, int[] indices) {
        if (indices.length == 0) {
            throw new PromptTuneException("a batch needs at least one example");
        }
        int b = indices.length;
        int t = 0;
        int l = 0;
        for (int i : indices) {
            if (i < 0 || i >= data.size()) {
                throw new PromptTuneException("example index " + i + " is outside the " + data.name() + " split (0.."
                        + (data.size() - 1) + ")");
            }
            t = Math.max(t, data.inputIds(i).length);
            l = Math.max(l, data.targetIds(i).length);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * l];
        Arrays.fill(ids, data.padId());
        Arrays.fill(labels, IGNORE_INDEX);
        int[] classes = new int[b];
        for (int r = 0; r < b; r++) {
            int[] in = data.inputIds(indices[r]);
            for (int j = 0; j < in.length; j++) {
                ids[r * t + j] = in[j];
                mask[r * t + j] = 1;
            }
            int[] target = data.targetIds(indices[r]);
            for (int j = 0; j < target.length; j++) {
                labels[r * l + j] = target[j];
            }
            classes[r] = data.labelIndex(indices[r]);
        }
        return new Batch(indices.clone(), classes, t, l, ids, mask, labels, data.padId());
    }

    /** Rows (B). */
    public int size() {
        return examples.length;
    }

    /** Padded input length (T). */
    public int inputLength() {
        return inputLength;
    }

    /** Padded target length (L); 0 when no row has a label. */
    public int targetLength() {
        return targetLength;
    }

    /** Input ids, row-major {@code [B, T]}. */
    public long[] inputIds() {
        return inputIds;
    }

    /** Attention mask, row-major {@code [B, T]}. */
    public long[] attentionMask() {
        return attentionMask;
    }

    /** Labels, row-major {@code [B, L]}, {@value #IGNORE_INDEX} past each target. */
    public long[] labels() {
        return labels;
    }

    /**
     * Decoder input ids {@code [B, L]}: labels shifted right by one with {@code startId} first and ignored
     * positions replaced by the pad id (Hugging Face's {@code _shift_right}; T5 starts with pad, 0).
     */
    public long[] decoderInputIds(long startId) {
        long[] out = new long[labels.length];
        for (int r = 0; r < size(); r++) {
            for (int j = 0; j < targetLength; j++) {
                long v = j == 0 ? startId : labels[r * targetLength + j - 1];
                out[r * targetLength + j] = v == IGNORE_INDEX ? padId : v;
            }
        }
        return out;
    }

    /** {@code [B, T]}. */
    public Shape inputShape() {
        return new Shape(size(), inputLength);
    }

    /** {@code [B, L]}. */
    public Shape labelShape() {
        return new Shape(size(), targetLength);
    }

    /** The split's example index of each row. */
    public int[] exampleIndices() {
        return examples;
    }

    /** The class of each row, -1 for an unlabeled example. */
    public int[] labelIndices() {
        return labelIndices;
    }

    /** Input ids as an INT64 {@code [B, T]} array on {@code manager}. */
    public NDArray inputIdsArray(NDManager manager) {
        return named(manager.create(inputIds, inputShape()), INPUT_IDS);
    }

    /** Attention mask as an INT64 {@code [B, T]} array on {@code manager}. */
    public NDArray attentionMaskArray(NDManager manager) {
        return named(manager.create(attentionMask, inputShape()), ATTENTION_MASK);
    }

    /** Labels as an INT64 {@code [B, L]} array on {@code manager}. */
    public NDArray labelsArray(NDManager manager) {
        return named(manager.create(labels, labelShape()), LABELS);
    }

    /** Input ids, attention mask and labels, in that order, named {@code input_ids}, {@code attention_mask},
     * {@code labels}. */
    public NDList toNDList(NDManager manager) {
        return new NDList(inputIdsArray(manager), attentionMaskArray(manager), labelsArray(manager));
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /** Real (non-pad) input tokens in the batch. */
    public long realInputTokens() {
        long n = 0;
        for (long m : attentionMask) {
            n += m;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Batch[" + size() + " x " + inputLength + ", labels " + size() + " x " + targetLength + "]";
    }
}
