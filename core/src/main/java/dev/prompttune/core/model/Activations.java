package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The feed-forward activations T5 checkpoints name, by their Hugging Face names. */
final class Activations {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private Activations() {}

    static NDArray apply(String name, NDArray x) {
        switch (name) {
            case "relu":
                return Activation.relu(x);
            case "gelu_new":
            case "gelu_pytorch_tanh":
                return geluTanh(x);
            case "gelu":
                return Activation.gelu(x);
            case "silu":
                return x.mul(Activation.sigmoid(x));
            default:
                throw new IllegalArgumentException("unknown activation " + name);
        }
    }

    /** GELU, tanh approximation (what T5 1.1 was trained with): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static NDArray geluTanh(NDArray x) {
        // Scalars, not x.mul(0.5f): see Scalars for why number operands break the backward pass.
        NDArray cube = x.mul(x).mul(x);
        NDArray inner = Scalars.mul(x.add(Scalars.mul(cube, 0.044715f)), SQRT_2_OVER_PI);
        return Scalars.mul(x, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
    }
}
