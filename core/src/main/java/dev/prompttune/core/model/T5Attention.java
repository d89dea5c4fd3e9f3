package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * Multi-head attention as T5 does it: no bias terms and no 1/√d_kv scaling of the scores (the scaling is folded
 * into the initialisation of q), plus an additive bias per head that depends on relative position. The bias
 * exists only in the first block of each stack; later blocks reuse the block-0 bias (passed in).
 *
 * <p>Shapes: queries from x [B, T, H]; keys/values from kv [B, S, H] (x itself for self-attention);
 * bias [1 or B, heads, T, S] (relative positions + mask, already summed); output [B, T, H].
 */
final class T5Attention extends T5Module {

    private final Parameter q;
    private final Parameter k;
    private final Parameter v;
    private final Parameter o;
    private final Parameter relativeBias;
    private final int heads;
    private final int dKv;
    private final boolean bidirectional;
    private final int numBuckets;
    private final int maxDistance;

    /**
     * @param prefix Hugging Face prefix, e.g. {@code encoder.block.0.layer.0.SelfAttention}
     * @param hasRelativeBias true in block 0 of a stack (self-attention only)
     * @param bidirectional encoder self-attention (true) or decoder causal self-attention (false)
     */
    T5Attention(T5Weights weights, String prefix, T5Config config, boolean hasRelativeBias, boolean bidirectional) {
        super(weights);
        int inner = config.innerDim();
        this.q = weight(prefix + ".q.weight", inner, config.dModel);
        this.k = weight(prefix + ".k.weight", inner, config.dModel);
        this.v = weight(prefix + ".v.weight", inner, config.dModel);
        this.o = weight(prefix + ".o.weight", config.dModel, inner);
        this.relativeBias = hasRelativeBias
                ? weight(prefix + ".relative_attention_bias.weight", config.relativeAttentionNumBuckets, config.numHeads)
                : null;
        this.heads = config.numHeads;
        this.dKv = config.dKv;
        this.bidirectional = bidirectional;
        this.numBuckets = config.relativeAttentionNumBuckets;
        this.maxDistance = config.relativeAttentionMaxDistance;
    }

    boolean hasRelativeBias() {
        return relativeBias != null;
    }

    /**
     * The learned relative-position bias for queries at positions {@code queryOffset ..} against keys
     * {@code 0 .. keyLength-1}.
     *
     * @param like an array whose manager and device the bias should use
     * @return [1, heads, queryLength, keyLength]
     */
    NDArray positionBias(NDArray like, int queryLength, int keyLength, int queryOffset) {
        long[] buckets = RelativePositionBuckets.table(queryLength, keyLength, queryOffset, bidirectional, numBuckets, maxDistance);
        NDArray ids = like.getManager().create(buckets, new Shape(queryLength, keyLength)).toDevice(like.getDevice(), false);
        // [T, S] ids → [T, S, heads] → [heads, T, S] → [1, heads, T, S]
        NDArray table = ai.djl.nn.core.Embedding.embedding(ids, relativeBias.getArray(), ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
        return table.transpose(2, 0, 1).expandDims(0);
    }

    /** Projects x [B, T, H] to per-head keys or values [B, heads, T, d_kv]. */
    NDArray project(NDArray x, boolean key) {
        return splitHeads(linear(x, key ? k : v));
    }

    /**
     * Attention of x over precomputed keys and values.
     *
     * @param x [B, T, H]
     * @param keys [B, heads, S, d_kv]
     * @param values [B, heads, S, d_kv]
     * @param bias [1 or B, heads, T, S], position bias plus mask
     * @return [B, T, H]
     */
    NDArray forward(NDArray x, NDArray keys, NDArray values, NDArray bias, float dropout, boolean training) {
        NDArray queries = splitHeads(linear(x, q));
        NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).add(bias);
        return linear(mergeHeads(attend(scores, values, dropout, training)), o);
    }

    /**
     * Attention of G query rows per key row: row b·G + g of x attends to row b of the keys and values. The same as
     * {@link #forward} over keys and values repeated G times, without projecting (and, in training, back-propagating
     * through) G copies of them. Scores and weights are [B, G, heads, T, S], laid out as [B·G, heads, T, S], so a
     * dropout mask falls on the same elements as in the repeated form.
     *
     * @param x [B·G, T, H]
     * @param keys [B, heads, S, d_kv]
     * @param values [B, heads, S, d_kv]
     * @param bias [B, 1, 1, 1, S] (a padding mask, broadcast over G, heads and T)
     * @return [B·G, T, H]
     */
    NDArray forwardGrouped(NDArray x, NDArray keys, NDArray values, NDArray bias, int group, float dropout,
                           boolean training) {
        NDArray queries = splitHeads(linear(x, q)); // [B·G, heads, T, d_kv]
        Shape qs = queries.getShape();
        NDArray grouped = queries.reshape(qs.get(0) / group, group, heads, qs.get(2), dKv);
        NDArray scores = grouped.matMul(keys.expandDims(1).transpose(0, 1, 2, 4, 3)).add(bias); // [B, G, heads, T, S]
        NDArray context = attend(scores, values.expandDims(1), dropout, training); // [B, G, heads, T, d_kv]
        return linear(mergeHeads(context.reshape(qs)), o);
    }

    /** softmax(scores) (with dropout when training) times values: [..., T, S] × [..., S, d_kv] → [..., T, d_kv]. */
    private NDArray attend(NDArray scores, NDArray values, float dropout, boolean training) {
        // Softmax in float32 even for half-precision activations, as the reference does.
        DataType type = scores.getDataType();
        NDArray weightsOut = type == DataType.FLOAT32 ? scores.softmax(-1) : Casts.to(Casts.softmaxFloat32(scores), type);
        if (training && dropout > 0) {
            weightsOut = Dropouts.apply(weightsOut, dropout, true);
        }
        return weightsOut.matMul(values);
    }

    /** [B, T, heads·d_kv] → [B, heads, T, d_kv]. */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, dKv).transpose(0, 2, 1, 3);
    }

    /** [B, heads, T, d_kv] → [B, T, heads·d_kv]. */
    private NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), (long) heads * dKv);
    }
}
