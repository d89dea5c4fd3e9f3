package dev.prompttune.core.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.Casts;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.Scalars;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Residual Prompt Tuning's reparameterisation (Razdaibiedina et al., ACL Findings 2023): during training the prompt
 * reaches the model through a shallow bottleneck MLP with a skip connection,
 *
 * <pre>
 *   P' = P + LayerNorm( relu(P·W1 + b1)·W2 + b2 )          (row by row)
 *   LayerNorm(x) = (x − mean(x)) / sqrt(var(x) + 1e-5) · γ + β   (over the width; biased variance, as torch's)
 * </pre>
 *
 * the authors' "MLP1" module (Linear, ReLU, Linear, LayerNorm, plus the input). The MLP's weights are trained with
 * the prompt; the frozen model stays frozen. After training only the projected P' is kept: a plain prompt for
 * prompt files, {@code %nearest}, ensembles and PEFT export.
 *
 * <p>Shapes: P [p, H]; W1 [H, m]; b1 [m]; W2 [m, H]; b2, γ, β [H] (m: the bottleneck). Initialised as torch's
 * {@code nn.Linear} and {@code nn.LayerNorm} are: weights and biases uniform in ±1/√fan_in, γ = 1, β = 0; drawn
 * from the run's seed. All float32, in a manager of its own (like {@link SoftPrompt}).
 */
public final class ResidualReparam implements AutoCloseable {

    /** torch.nn.LayerNorm's default epsilon, the module the paper's code uses. */
    public static final float LAYER_NORM_EPSILON = 1e-5f;

    private final NDManager manager;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;
    private final NDArray gamma;
    private final NDArray beta;
    private final int width;
    private final int bottleneck;

    private ResidualReparam(NDManager manager, float[][] values, int width, int bottleneck) {
        this.manager = manager;
        this.width = width;
        this.bottleneck = bottleneck;
        Shape[] shapes = shapes(width, bottleneck);
        NDArray[] arrays = new NDArray[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            if (values[i].length != shapes[i].size()) {
                throw new IllegalArgumentException("residual MLP parameter " + i + ": " + values[i].length
                        + " floats for " + shapes[i]);
            }
            arrays[i] = manager.create(values[i], shapes[i]);
        }
        w1 = arrays[0];
        b1 = arrays[1];
        w2 = arrays[2];
        b2 = arrays[3];
        gamma = arrays[4];
        beta = arrays[5];
    }

    /** The shapes of W1, b1, W2, b2, γ, β. */
    private static Shape[] shapes(int width, int bottleneck) {
        return new Shape[] {new Shape(width, bottleneck), new Shape(bottleneck), new Shape(bottleneck, width),
            new Shape(width), new Shape(width), new Shape(width)};
    }

    /** A freshly initialised MLP (torch's defaults, drawn from {@code seed}). */
    public static ResidualReparam create(int width, int bottleneck, long seed, NDManager parent) {
        if (width < 1 || bottleneck < 1) {
            throw new PromptTuneException("residual reparameterisation: width " + width + " and bottleneck " + bottleneck
                    + "; allowed: both >= 1");
        }
        // A stream of its own (not the prompt init's), so the prompt's initial values do not depend on reparam.
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_4E5DL);
        double down = 1 / Math.sqrt(width);
        double up = 1 / Math.sqrt(bottleneck);
        float[] gamma = new float[width];
        java.util.Arrays.fill(gamma, 1f);
        return of(new float[][] {uniform(random, width * bottleneck, down), uniform(random, bottleneck, down),
            uniform(random, bottleneck * width, up), uniform(random, width, up), gamma, new float[width]}, width, bottleneck,
            parent);
    }

    /**
     * An MLP with given values, row-major: W1 [H, m], b1 [m], W2 [m, H], b2 [H], γ [H], β [H].
     *
     * @param parent the MLP's own manager is made from it (it decides the device)
     */
    public static ResidualReparam of(float[][] values, int width, int bottleneck, NDManager parent) {
        if (values.length != 6) {
            throw new IllegalArgumentException("residual MLP: " + values.length + " parameter arrays; needs 6 (W1, b1, W2, b2, γ, β)");
        }
        return new ResidualReparam(parent.newSubManager(), values, width, bottleneck);
    }

    private static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return out;
    }

    /** The trainable arrays, in the order W1, b1, W2, b2, γ, β (the optimiser updates them in place). */
    public List<NDArray> parameters() {
        return List.of(w1, b1, w2, b2, gamma, beta);
    }

    /** Number of trainable scalars in the MLP (the prompt not included). */
    public long count() {
        return 2L * width * bottleneck + bottleneck + 3L * width;
    }

    public int bottleneck() {
        return bottleneck;
    }

    /**
     * P' = P + LayerNorm(relu(P·W1 + b1)·W2 + b2), differentiable with respect to P and every MLP parameter.
     *
     * @param prompt P [p, H], float32
     * @param owner the manager the result belongs to (a step's or a batch's, so that nothing piles up in the
     *              prompt's own manager); the intermediates are released at once (autograd keeps what it needs)
     * @return P' [p, H], float32
     */
    public NDArray project(NDArray prompt, NDManager owner) {
        NDArray out;
        // Every array here is made by torch (no Java-buffer operands, see Scalars), so closing the intermediates'
        // handles is safe during a backward pass.
        try (NDScope scope = new NDScope()) {
            NDArray hidden = Activation.relu(prompt.matMul(w1).add(b1)); // [p, m]
            NDArray x = hidden.matMul(w2).add(b2); // [p, H]
            NDArray centered = x.sub(x.mean(new int[] {-1}, true));
            NDArray variance = centered.square().mean(new int[] {-1}, true); // biased, as torch's LayerNorm
            NDArray normed = centered.div(Scalars.add(variance, LAYER_NORM_EPSILON).sqrt());
            out = prompt.add(normed.mul(gamma).add(beta));
            NDScope.unregister(out);
            scope.suppressNotUsedWarning();
        }
        out.attach(owner);
        return out;
    }

    /** P' of a prompt's current values (no gradient), row-major [p, H]. */
    public float[] projectFloats(SoftPrompt prompt) {
        try (GradMode.Scope noGrad = GradMode.off(); NDManager m = manager.newSubManager()) {
            return Casts.floats(project(prompt.value(), m));
        }
    }

    /** The MLP's current values, in {@link #parameters()} order. */
    public float[][] snapshot() {
        List<NDArray> ps = parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ps.get(i).toFloatArray();
        }
        return out;
    }

    /** Overwrites the MLP's values in place from a {@link #snapshot()}. */
    public void restore(float[][] snapshot) {
        List<NDArray> ps = parameters();
        for (int i = 0; i < snapshot.length; i++) {
            dev.prompttune.core.model.Casts.assign(ps.get(i), snapshot[i]); // not NDArray.set(float[]): see Casts
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
