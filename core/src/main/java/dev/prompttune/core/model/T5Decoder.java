package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * T5's decoder stack: causal self-attention, cross-attention over the encoder output and feed-forward per block,
 * then a final norm and dropout. The decoder is never prompted (the paper's setting).
 *
 * <p>Inputs: decoder embeddings [B, L, H], encoder output [B, S, H], encoder mask [B, S]. Output [B, L, H]
 * (before the LM head and before T5 1.0's d_model^-0.5 scaling).
 */
final class T5Decoder extends T5Module {

    final List<T5Block> blocks = new ArrayList<>();
    final T5LayerNorm finalNorm;
    private final DropoutSetting dropout;

    T5Decoder(T5Weights weights, T5Config config, DropoutSetting dropout) {
        super(weights);
        for (int i = 0; i < config.numDecoderLayers; i++) {
            blocks.add(addChildBlock("block" + i, new T5Block(weights, "decoder.block." + i, config, dropout, true, i == 0)));
        }
        finalNorm = addChildBlock("finalNorm",
                new T5LayerNorm(weights, "decoder.final_layer_norm", config.dModel, config.layerNormEpsilon));
        this.dropout = dropout;
    }

    /** Teacher-forced pass over a whole target sequence. */
    NDArray forward(NDArray embeddings, NDArray encoderHidden, NDArray encoderMask, boolean training) {
        return forward(embeddings, encoderHidden, encoderMask, 1, training);
    }

    /**
     * Teacher-forced pass of G target sequences per encoder row: embeddings [B·G, L, H], rows b·G … b·G + G − 1
     * reading encoder row b of encoderHidden [B, S, H] (mask [B, S]). Each block projects the encoder's keys and
     * values once per encoder row rather than once per target.
     */
    NDArray forward(NDArray embeddings, NDArray encoderHidden, NDArray encoderMask, int group, boolean training) {
        NDArray h = dropout(embeddings, training);
        int length = (int) h.getShape().get(1);
        NDArray selfBias = selfBias(h, length, 0).add(AttentionMasks.causal(h, length, h.getDataType()));
        NDArray padding = AttentionMasks.padding(encoderMask, h.getDataType()); // [B, 1, 1, S]
        NDArray crossBias = group == 1 ? padding : padding.expandDims(1); // [B, 1, 1, 1, S] when grouped
        for (T5Block block : blocks) {
            NDArray in = h;
            h = Scopes.keepOnly(() -> {
                NDArray normed = block.selfNorm.forward(in);
                NDArray x = block.selfAttend(in, normed, block.selfAttention.project(normed, true),
                        block.selfAttention.project(normed, false), selfBias, training);
                NDArray keys = block.crossAttention.project(encoderHidden, true);
                NDArray values = block.crossAttention.project(encoderHidden, false);
                x = group == 1 ? block.crossAttend(x, keys, values, crossBias, training)
                        : block.crossAttendGrouped(x, keys, values, crossBias, group, training);
                return block.feedForward(x, training);
            });
        }
        return dropout(finalNorm.forward(h), training);
    }

    /** A cache for incremental decoding over this encoder output: cross keys/values projected once. */
    DecoderCache newCache(NDArray encoderHidden, NDArray encoderMask) {
        DecoderCache cache = new DecoderCache(blocks.size(), AttentionMasks.padding(encoderMask, encoderHidden.getDataType()));
        for (int i = 0; i < blocks.size(); i++) {
            T5Attention cross = blocks.get(i).crossAttention;
            cache.crossKeys[i] = cross.project(encoderHidden, true);
            cache.crossValues[i] = cross.project(encoderHidden, false);
        }
        return cache;
    }

    /**
     * One decoding step: the embedding of the newest token [B, 1, H] attends to all cached positions.
     * Updates the cache; returns the decoder output [B, 1, H].
     */
    NDArray step(NDArray embedding, DecoderCache cache) {
        NDArray h = embedding;
        int position = cache.length;
        // The query sits at `position`; keys 0..position are all in its past, so no causal mask is needed.
        NDArray selfBias = selfBias(h, 1, position, position + 1);
        for (int i = 0; i < blocks.size(); i++) {
            T5Block block = blocks.get(i);
            NDArray normed = block.selfNorm.forward(h);
            NDArray k = block.selfAttention.project(normed, true);
            NDArray v = block.selfAttention.project(normed, false);
            if (cache.selfKeys[i] != null) {
                k = NDArrays.concat(new NDList(cache.selfKeys[i], k), 2);
                v = NDArrays.concat(new NDList(cache.selfValues[i], v), 2);
            }
            cache.selfKeys[i] = k;
            cache.selfValues[i] = v;
            h = block.selfAttend(h, normed, k, v, selfBias, false);
            h = block.crossAttend(h, cache.crossKeys[i], cache.crossValues[i], cache.crossBias, false);
            h = block.feedForward(h, false);
        }
        cache.length++;
        return finalNorm.forward(h);
    }

    private NDArray selfBias(NDArray like, int queryLength, int queryOffset) {
        return selfBias(like, queryLength, queryOffset, queryOffset + queryLength);
    }

    private NDArray selfBias(NDArray like, int queryLength, int queryOffset, int keyLength) {
        NDArray bias = blocks.get(0).selfAttention.positionBias(like, queryLength, keyLength, queryOffset);
        return bias.getDataType() == like.getDataType() ? bias : Casts.to(bias, like.getDataType());
    }

    private NDArray dropout(NDArray x, boolean training) {
        float rate = dropout.get();
        return training && rate > 0 ? Dropouts.apply(x, rate, true) : x;
    }
}
