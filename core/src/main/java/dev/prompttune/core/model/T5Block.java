package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * One T5 block. Encoder: self-attention, feed-forward. Decoder: causal self-attention, cross-attention over the
 * encoder output, feed-forward. Each sub-layer is pre-norm with a residual: x + dropout(sublayer(norm(x))).
 *
 * <p>In half precision every sub-layer's output is clamped to ±(65504 − 1000), the guard the reference applies to
 * T5 in fp16 against overflow to inf (it clamps when any inf appears; clamping always avoids a device-to-host sync
 * and differs only for values already within 1000 of overflow).
 */
final class T5Block extends T5Module {

    private static final float HALF_CLAMP = 65504f - 1000f;

    final T5LayerNorm selfNorm;
    final T5Attention selfAttention;
    final T5LayerNorm crossNorm;
    final T5Attention crossAttention;
    final T5LayerNorm ffNorm;
    final T5FeedForward feedForward;
    private final DropoutSetting dropout;

    /** @param prefix {@code encoder.block.N} or {@code decoder.block.N} */
    T5Block(T5Weights weights, String prefix, T5Config config, DropoutSetting dropout, boolean decoder, boolean first) {
        super(weights);
        float eps = config.layerNormEpsilon;
        selfNorm = addChildBlock("selfNorm", new T5LayerNorm(weights, prefix + ".layer.0.layer_norm", config.dModel, eps));
        selfAttention = addChildBlock("selfAttention",
                new T5Attention(weights, prefix + ".layer.0.SelfAttention", config, first, !decoder));
        int ffLayer = 1;
        if (decoder) {
            crossNorm = addChildBlock("crossNorm", new T5LayerNorm(weights, prefix + ".layer.1.layer_norm", config.dModel, eps));
            crossAttention = addChildBlock("crossAttention",
                    new T5Attention(weights, prefix + ".layer.1.EncDecAttention", config, false, false));
            ffLayer = 2;
        } else {
            crossNorm = null;
            crossAttention = null;
        }
        ffNorm = addChildBlock("ffNorm", new T5LayerNorm(weights, prefix + ".layer." + ffLayer + ".layer_norm", config.dModel, eps));
        feedForward = addChildBlock("feedForward",
                new T5FeedForward(weights, prefix + ".layer." + ffLayer + ".DenseReluDense", config));
        this.dropout = dropout;
    }

    /** Self-attention sub-layer over given keys/values (the block's own, or cached ones). x [B, T, H]. */
    NDArray selfAttend(NDArray x, NDArray normed, NDArray keys, NDArray values, NDArray bias, boolean training) {
        return residual(x, selfAttention.forward(normed, keys, values, bias, dropout.get(), training), training);
    }

    /** Cross-attention sub-layer over the encoder's projected keys/values. x [B, T, H]. */
    NDArray crossAttend(NDArray x, NDArray keys, NDArray values, NDArray bias, boolean training) {
        return residual(x, crossAttention.forward(crossNorm.forward(x), keys, values, bias, dropout.get(), training), training);
    }

    /**
     * Cross-attention sub-layer for G decoder rows per encoder row ({@link T5Attention#forwardGrouped}).
     * x [B·G, T, H]; keys/values [B, heads, S, d_kv]; bias [B, 1, 1, 1, S].
     */
    NDArray crossAttendGrouped(NDArray x, NDArray keys, NDArray values, NDArray bias, int group, boolean training) {
        return residual(x, crossAttention.forwardGrouped(crossNorm.forward(x), keys, values, bias, group, dropout.get(),
                training), training);
    }

    /** Feed-forward sub-layer. x [B, T, H]. */
    NDArray feedForward(NDArray x, boolean training) {
        return residual(x, feedForward.forward(ffNorm.forward(x), dropout.get(), training), training);
    }

    /** Encoder block: self-attention over x itself, then feed-forward. */
    NDArray encode(NDArray x, NDArray bias, boolean training) {
        NDArray normed = selfNorm.forward(x);
        NDArray h = selfAttend(x, normed, selfAttention.project(normed, true), selfAttention.project(normed, false), bias, training);
        return feedForward(h, training);
    }

    private NDArray residual(NDArray x, NDArray sublayer, boolean training) {
        float rate = dropout.get();
        if (training && rate > 0) {
            sublayer = Dropouts.apply(sublayer, rate, true);
        }
        NDArray out = x.add(sublayer);
        return out.getDataType() == DataType.FLOAT16 ? out.clip(-HALF_CLAMP, HALF_CLAMP) : out;
    }
}
