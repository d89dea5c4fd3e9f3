package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The feed-forward activations T5 checkpoints name, by their Hugging Face names. */
final class Activations {

    private static final float GELU_A = (float) (2 * Math.sqrt(2.0 / Math.PI));
    private static final float GELU_B = (float) (2 * Math.sqrt(2.0 / Math.PI) * 0.044715);

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

    /**
     * GELU, tanh approximation (what T5 1.1 was trained with): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
     *
     * <p>Computed as x·σ(x·(a + b·x²)) with a = 2√(2/π), b = 0.044715·a, since 0.5·(1 + tanh(z)) = σ(2z): five
     * passes over the [B, T, d_ff] hidden layer instead of nine, and four tensors kept for backward instead of
     * seven (this is the largest activation of the model, so it dominates both time and peak memory in training).
     * The in-place steps act on a fresh temporary whose old value autograd does not need; scalar operands are
     * torch-owned ({@link Scalars}).
     */
    static NDArray geluTanh(NDArray x) {
        NDArray polynomial = x.mul(x).muli(Scalars.like(x, GELU_B)).addi(Scalars.like(x, GELU_A));
        return x.mul(Activation.sigmoid(x.mul(polynomial)));
    }
}
