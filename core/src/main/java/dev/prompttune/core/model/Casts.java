package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Dtype conversions that keep the autograd graph. DJL's {@code NDArray.toType} detaches its result (measured:
 * "element 0 of tensors does not require grad"), which would cut the gradient at every float32↔float16 boundary
 * of a half-precision model. torch's {@code cumprod(x, dim, dtype)} over a size-1 axis is an identity that
 * converts and is differentiable; {@code softmax(x, dim, dtype)} likewise.
 */
public final class Casts {

    private Casts() {}

    /** x converted to {@code type}, differentiably. */
    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        return JniUtils.cumProd((PtNDArray) x.expandDims(-1), -1, type).squeeze(-1);
    }

    /**
     * An array's values as float32, leaving nothing behind: {@code toType} of a non-float32 array makes a copy in
     * the array's own manager, which for a weight or a prompt lives as long as the model (a snapshot per step of a
     * half-precision model kept a float32 copy of every weight per step).
     */
    public static float[] floats(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x.toFloatArray();
        }
        try (NDArray copy = x.toType(DataType.FLOAT32, true)) {
            return copy.toFloatArray();
        }
    }

    /** Softmax over the last axis computed (and returned) in float32, differentiably. */
    public static NDArray softmaxFloat32(NDArray x) {
        return JniUtils.softmax((PtNDArray) x, -1, DataType.FLOAT32);
    }

    /**
     * Overwrites {@code target} in place with {@code values} (row-major, its shape), converted to its dtype. Not
     * {@code NDArray.set(float[])}: DJL's native code for that enters PyTorch's deprecated
     * {@code AutoNonVariableTypeMode}, and PyTorch then prints its deprecation warning on every run's stderr.
     */
    public static void assign(NDArray target, float[] values) {
        try (NDManager scope = target.getManager().newSubManager()) {
            assign(target, scope.create(values, target.getShape()));
        }
    }

    /**
     * Overwrites {@code target} in place with {@code values} (same shape), converted to its dtype; see above. With
     * autograd off: overwriting a trainable array (a restore, the projected residual prompt) is not part of any graph,
     * and PyTorch refuses an in-place write to a leaf that requires grad while grad mode is on (the thread's default).
     */
    public static void assign(NDArray target, NDArray values) {
        try (GradMode.Scope off = GradMode.off()) {
            write(target, values);
        }
    }

    private static void write(NDArray target, NDArray values) {
        if (values.getDataType() == target.getDataType()) {
            target.set(new NDIndex("..."), values);
            return;
        }
        try (NDArray typed = values.toType(target.getDataType(), true)) {
            target.set(new NDIndex("..."), typed);
        }
    }
}
