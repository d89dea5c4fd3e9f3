package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * T5's encoder stack: dropout on the input embeddings, N blocks of bidirectional self-attention and feed-forward,
 * a final norm and dropout. It takes embeddings, not ids: this is where a soft prompt enters.
 *
 * <p>Input: embeddings [B, T, H] and attention mask [B, T] (1 = real token). Output: [B, T, H].
 */
final class T5Encoder extends T5Module {

    final List<T5Block> blocks = new ArrayList<>();
    final T5LayerNorm finalNorm;
    private final DropoutSetting dropout;

    T5Encoder(T5Weights weights, T5Config config, DropoutSetting dropout) {
        super(weights);
        for (int i = 0; i < config.numLayers; i++) {
            blocks.add(addChildBlock("block" + i, new T5Block(weights, "encoder.block." + i, config, dropout, false, i == 0)));
        }
        finalNorm = addChildBlock("finalNorm",
                new T5LayerNorm(weights, "encoder.final_layer_norm", config.dModel, config.layerNormEpsilon));
        this.dropout = dropout;
    }

    NDArray forward(NDArray embeddings, NDArray attentionMask, boolean training) {
        NDArray h = dropout(embeddings, training);
        int length = (int) h.getShape().get(1);
        // Block 0 computes the relative-position bias; every later block reuses it (with the mask folded in).
        NDArray bias = blocks.get(0).selfAttention.positionBias(h, length, length, 0);
        if (bias.getDataType() != h.getDataType()) {
            bias = Casts.to(bias, h.getDataType());
        }
        bias = bias.add(AttentionMasks.padding(attentionMask, h.getDataType()));
        for (T5Block block : blocks) {
            NDArray in = h;
            NDArray blockBias = bias;
            h = Scopes.keepOnly(() -> block.encode(in, blockBias, training));
        }
        return dropout(finalNorm.forward(h), training);
    }

    private NDArray dropout(NDArray x, boolean training) {
        float rate = dropout.get();
        return training && rate > 0 ? Dropouts.apply(x, rate, true) : x;
    }
}
