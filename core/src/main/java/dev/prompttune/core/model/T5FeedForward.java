package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * T5's feed-forward block. T5 1.0: wo · dropout(relu(wi · x)). T5 1.1 (gated):
 * wo · dropout(act(wi_0 · x) ⊙ (wi_1 · x)).
 *
 * <p>Input [B, T, H]; wi, wi_0, wi_1 [d_ff, H]; wo [H, d_ff]; output [B, T, H].
 */
final class T5FeedForward extends T5Module {

    private final Parameter wi;
    private final Parameter wi0;
    private final Parameter wi1;
    private final Parameter wo;
    private final String activation;

    /** @param prefix e.g. {@code encoder.block.0.layer.1.DenseReluDense} */
    T5FeedForward(T5Weights weights, String prefix, T5Config config) {
        super(weights);
        if (config.gated) {
            wi = null;
            wi0 = weight(prefix + ".wi_0.weight", config.dFf, config.dModel);
            wi1 = weight(prefix + ".wi_1.weight", config.dFf, config.dModel);
        } else {
            wi = weight(prefix + ".wi.weight", config.dFf, config.dModel);
            wi0 = null;
            wi1 = null;
        }
        wo = weight(prefix + ".wo.weight", config.dModel, config.dFf);
        activation = config.activation;
    }

    NDArray forward(NDArray x, float dropout, boolean training) {
        NDArray hidden;
        if (wi != null) {
            hidden = Activations.apply(activation, linear(x, wi));
        } else {
            hidden = Activations.apply(activation, linear(x, wi0)).mul(linear(x, wi1));
        }
        if (training && dropout > 0) {
            hidden = Dropouts.apply(hidden, dropout, true);
        }
        return linear(hidden, wo);
    }
}
