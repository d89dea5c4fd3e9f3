package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where a key may be attended, the dtype's most negative finite value where not (as
 * the reference does; -inf would turn fully masked rows into NaN).
 */
final class AttentionMasks {

    private AttentionMasks() {}

    static float blocked(DataType type) {
        return type == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
    }

    /**
     * Padding mask over keys.
     *
     * @param mask [B, S], 1 for real tokens and 0 for padding (any numeric type)
     * @return [B, 1, 1, S] additive mask in {@code type}
     */
    static NDArray padding(NDArray mask, DataType type) {
        Shape s = mask.getShape();
        NDArray keep = mask.toType(type, false);
        // (1 - mask) * blocked, written as mask * (-blocked) + blocked to stay in one dtype.
        NDArray additive = keep.mul(-blocked(type)).add(blocked(type));
        return additive.reshape(s.get(0), 1, 1, s.get(1));
    }

    /**
     * Causal mask for {@code length} queries against as many keys.
     *
     * @param like array whose manager, device and dtype to use
     * @return [1, 1, length, length], blocked above the diagonal
     */
    static NDArray causal(NDArray like, int length, DataType type) {
        float[] values = new float[length * length];
        float blocked = blocked(type);
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) {
                values[q * length + k] = blocked;
            }
        }
        return like.getManager().create(values, new Shape(1, 1, length, length))
                .toDevice(like.getDevice(), false).toType(type, false);
    }
}
