package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for arithmetic that autograd may differentiate.
 *
 * <p>Never write {@code x.mul(0.5f)} on a path that is backpropagated: DJL implements {@code mul/div/pow/add(Number)}
 * by wrapping the number in a temporary tensor over a Java direct buffer and closing it at once, while autograd keeps
 * that operand for the backward pass (mul, div and pow need it). After a garbage collection the backward pass reads
 * freed memory — measured here as all-NaN gradients for a finite loss, reproducible with {@code System.gc()}.
 * These scalars are allocated by torch ({@code full}), so autograd's reference keeps them alive.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d tensor holding {@code value}, with x's dtype, device and manager. */
    public static NDArray like(NDArray x, float value) {
        return x.getManager().full(new Shape(), value, x.getDataType()).toDevice(x.getDevice(), false);
    }

    public static NDArray mul(NDArray x, float value) {
        return x.mul(like(x, value));
    }

    public static NDArray div(NDArray x, float value) {
        return x.div(like(x, value));
    }

    public static NDArray add(NDArray x, float value) {
        return x.add(like(x, value));
    }
}
