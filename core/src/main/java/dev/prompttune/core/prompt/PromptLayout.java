package dev.prompttune.core.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.List;

/**
 * Combines token embeddings with soft prompts into the encoder input, one prompt per row (rows may share a
 * prompt, or carry prompts of different lengths: the mixed-task batch of the paper's multi-task serving).
 *
 * <p>Implementation: every row's real tokens and its prompt vectors are gathered by index from one pool
 * [B·T + Σp, H] = [tokens flattened; prompts stacked], so all placements and mixed prompts are one gather, and the
 * gradient reaches each prompt through it. Rows are right-padded to the longest combined row; padded positions
 * reuse a padding token's embedding and are masked.
 *
 * <p>Shapes: tokens [B, T, H], mask [B, T] (1 real, 0 pad, real tokens first), prompts p_i × [p_i, H] →
 * embeddings [B, L, H] and mask [B, L] with L = max_b(len_b + p_{row b}).
 */
public final class PromptLayout {

    /** The combined encoder input. */
    public record Combined(NDArray embeddings, NDArray mask) {}

    private PromptLayout() {}

    /** One prompt for every row. */
    public static Combined combine(NDArray tokens, NDArray mask, NDArray prompt, Placement placement) {
        int rows = (int) tokens.getShape().get(0);
        int[] assignment = new int[rows];
        return combine(tokens, mask, List.of(prompt), assignment, placement);
    }

    /**
     * Row b gets {@code prompts.get(assignment[b])}; an assignment of -1 means no prompt for that row.
     *
     * @param prompts each [p_i, H], float32 or the tokens' dtype (cast to the tokens' dtype)
     */
    public static Combined combine(NDArray tokens, NDArray mask, List<NDArray> prompts, int[] assignment, Placement placement) {
        Shape s = tokens.getShape();
        int rows = (int) s.get(0);
        int length = (int) s.get(1);
        long width = s.get(2);
        long[] maskValues = mask.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        int[] lengths = new int[rows];
        for (int b = 0; b < rows; b++) {
            int n = 0;
            for (int t = 0; t < length; t++) {
                n += maskValues[b * length + t] != 0 ? 1 : 0;
            }
            lengths[b] = n;
        }
        int[] offsets = new int[prompts.size()];
        int[] promptLengths = new int[prompts.size()];
        int pool = rows * length;
        for (int i = 0; i < prompts.size(); i++) {
            offsets[i] = pool;
            promptLengths[i] = (int) prompts.get(i).getShape().get(0);
            pool += promptLengths[i];
        }
        int combinedLength = 0;
        for (int b = 0; b < rows; b++) {
            int p = assignment[b] < 0 ? 0 : promptLengths[assignment[b]];
            combinedLength = Math.max(combinedLength, lengths[b] + p);
        }
        long[] index = new long[rows * combinedLength];
        long[] combinedMask = new long[rows * combinedLength];
        for (int b = 0; b < rows; b++) {
            int p = assignment[b] < 0 ? 0 : promptLengths[assignment[b]];
            int start = assignment[b] < 0 ? lengths[b] : placement.promptStart(lengths[b]);
            int padSource = b * length + Math.min(lengths[b], length - 1); // any token row: it is masked
            for (int i = 0; i < combinedLength; i++) {
                long source;
                if (i < start) {
                    source = b * length + i;
                } else if (i < start + p) {
                    source = offsets[assignment[b]] + (i - start);
                } else if (i < lengths[b] + p) {
                    source = b * length + (i - p);
                } else {
                    source = padSource;
                }
                index[b * combinedLength + i] = source;
                combinedMask[b * combinedLength + i] = i < lengths[b] + p ? 1 : 0;
            }
        }
        NDList parts = new NDList();
        parts.add(tokens.reshape(rows * (long) length, width));
        for (NDArray prompt : prompts) {
            parts.add(dev.prompttune.core.model.Casts.to(prompt, tokens.getDataType()));
        }
        NDArray poolArray = NDArrays.concat(parts, 0);
        NDManager manager = tokens.getManager();
        NDArray indexArray = manager.create(index, new Shape(rows, combinedLength)).toDevice(tokens.getDevice(), false);
        NDArray embeddings = ai.djl.nn.core.Embedding.embedding(indexArray, poolArray, SparseFormat.DENSE).singletonOrThrow();
        NDArray outMask = manager.create(combinedMask, new Shape(rows, combinedLength)).toDevice(tokens.getDevice(), false);
        return new Combined(embeddings, outMask);
    }
}
