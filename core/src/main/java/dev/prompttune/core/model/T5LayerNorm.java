package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

/**
 * T5's layer norm: RMS norm with a learned scale, no mean subtraction and no bias.
 * The mean of squares is taken in float32 even when activations are half precision (squares of fp16 values
 * overflow and lose precision); the result is cast back to the weight's dtype before scaling.
 *
 * <p>Input [B, T, H]; weight [H]; output [B, T, H].
 */
final class T5LayerNorm extends T5Module {

    private final Parameter scale;
    private final float epsilon;

    T5LayerNorm(T5Weights weights, String prefix, int width, float epsilon) {
        super(weights);
        this.scale = weight(prefix + ".weight", width);
        this.epsilon = epsilon;
    }

    NDArray forward(NDArray x) {
        NDArray w = scale.getArray();
        NDArray x32 = Casts.to(x, DataType.FLOAT32);
        NDArray variance = x32.square().mean(new int[] {-1}, true);
        NDArray normed = x32.div(Scalars.add(variance, epsilon).sqrt());
        if (w.getDataType() != DataType.FLOAT32) {
            normed = Casts.to(normed, w.getDataType());
        }
        return normed.mul(w);
    }
}
