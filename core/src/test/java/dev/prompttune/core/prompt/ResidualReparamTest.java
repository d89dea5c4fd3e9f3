package dev.prompttune.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Residual Prompt Tuning's projection against a reference written here, independently of the implementation: a plain
 * Java float64 forward pass of P' = P + LayerNorm(relu(P·W1 + b1)·W2 + b2), and its gradients by central finite
 * differences, on a tiny case (p = 2, H = 3, bottleneck 2) chosen so that one hidden unit of each row is off
 * (tests the ReLU's mask) and γ, β are not the identity.
 */
public class ResidualReparamTest {

    private static final int P = 2;
    private static final int H = 3;
    private static final int M = 2;

    private static final double[][] PROMPT = {{0.3, -0.8, 0.5}, {1.1, 0.2, -0.4}};
    // Pre-activations: row 0 → (-0.10, 0.90), row 1 → (1.11, 0.12): one unit off in each row, none near the kink.
    private static final double[][] W1 = {{0.7, 0.6}, {0.2, -0.9}, {-0.5, 0.4}};
    private static final double[] B1 = {0.1, -0.2};
    private static final double[][] W2 = {{0.5, -1.2, 0.3}, {0.8, 0.1, -0.6}};
    private static final double[] B2 = {0.05, -0.1, 0.2};
    private static final double[] GAMMA = {1.2, 0.7, -0.4};
    private static final double[] BETA = {0.1, 0.0, -0.3};
    /** The loss is Σ P' ⊙ C. */
    private static final double[][] C = {{1.0, -2.0, 0.5}, {0.3, 0.7, -1.5}};

    @Test
    void forwardAndGradientsMatchAFloat64FiniteDifferenceReference() {
        double[][] expectedOut = forward(PROMPT, W1, B1, W2, B2, GAMMA, BETA);
        try (NDManager root = NDManager.newBaseManager();
             ResidualReparam reparam = ResidualReparam.of(new float[][] {flat(W1), floats(B1), flat(W2), floats(B2),
                 floats(GAMMA), floats(BETA)}, H, M, root);
             NDManager step = root.newSubManager()) {
            NDArray prompt = step.create(flat(PROMPT), new Shape(P, H));
            prompt.setRequiresGradient(true);
            reparam.parameters().forEach(a -> a.setRequiresGradient(true));
            float[] out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray projected = reparam.project(prompt, step);
                out = projected.toFloatArray();
                collector.backward(projected.mul(step.create(flat(C), new Shape(P, H))).sum());
            }
            assertClose(flatDouble(expectedOut), out, 1e-5, "P'");

            List<NDArray> params = reparam.parameters();
            assertClose(numericGradient(0), prompt.getGradient().toFloatArray(), 1e-4, "dL/dP");
            String[] names = {"dL/dW1", "dL/db1", "dL/dW2", "dL/db2", "dL/dγ", "dL/dβ"};
            for (int i = 0; i < names.length; i++) {
                assertClose(numericGradient(i + 1), params.get(i).getGradient().toFloatArray(), 1e-4, names[i]);
            }
        }
    }

    /** The projection's temporaries go to the caller's manager, not the prompt's (which lives for the whole run). */
    @Test
    void projectingLeavesNothingInThePromptsManager() {
        try (NDManager root = NDManager.newBaseManager();
             ResidualReparam reparam = ResidualReparam.create(H, M, 7, root);
             SoftPrompt prompt = SoftPrompt.of(flat(PROMPT), P, H, root)) {
            int before = root.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDManager batch = root.newSubManager()) {
                    reparam.project(prompt.value(), batch);
                }
            }
            float[] projected = reparam.projectFloats(prompt);
            assertEquals(P * H, projected.length);
            assertEquals(before, root.getManagedArrays().size());
        }
    }

    /** torch's nn.Linear / nn.LayerNorm initialisation, reproducible from the seed. */
    @Test
    void initialisationIsTorchsAndFollowsTheSeed() {
        try (NDManager root = NDManager.newBaseManager();
             ResidualReparam a = ResidualReparam.create(192, 100, 42, root);
             ResidualReparam b = ResidualReparam.create(192, 100, 42, root);
             ResidualReparam c = ResidualReparam.create(192, 100, 43, root)) {
            float[][] sa = a.snapshot();
            float[][] sc = c.snapshot();
            for (int i = 0; i < sa.length; i++) {
                assertEquals(java.util.Arrays.toString(sa[i]), java.util.Arrays.toString(b.snapshot()[i]));
            }
            assertTrue(!java.util.Arrays.equals(sa[0], sc[0]), "another seed, other weights");
            assertBounded(sa[0], 1 / Math.sqrt(192));
            assertBounded(sa[1], 1 / Math.sqrt(192));
            assertBounded(sa[2], 1 / Math.sqrt(100));
            assertBounded(sa[3], 1 / Math.sqrt(100));
            for (float g : sa[4]) {
                assertEquals(1f, g);
            }
            for (float beta : sa[5]) {
                assertEquals(0f, beta);
            }
            assertEquals(2L * 192 * 100 + 100 + 3 * 192, a.count());
        }
    }

    private static void assertBounded(float[] values, double bound) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
    }

    // ---- the reference -------------------------------------------------------------------------------------------

    /**
     * The float64 reference projection of a prompt [length, width] under MLP values in
     * {@link ResidualReparam#snapshot()} order (W1 [H, m], b1, W2 [m, H], b2, γ, β), row-major.
     */
    public static double[] reference(float[] prompt, int length, int width, int bottleneck, float[][] mlp) {
        double[][] p = matrix(prompt, length, width);
        double[][] out = forward(p, matrix(mlp[0], width, bottleneck), doubles(mlp[1]), matrix(mlp[2], bottleneck, width),
                doubles(mlp[3]), doubles(mlp[4]), doubles(mlp[5]));
        return flatDouble(out);
    }

    private static double[][] matrix(float[] v, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < v.length; i++) {
            out[i / cols][i % cols] = v[i];
        }
        return out;
    }

    private static double[] doubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static double[][] forward(double[][] p, double[][] w1, double[] b1, double[][] w2, double[] b2, double[] gamma,
                              double[] beta) {
        int h = p[0].length;
        int m = b1.length;
        double[][] out = new double[p.length][h];
        for (int r = 0; r < p.length; r++) {
            double[] hidden = new double[m];
            for (int j = 0; j < m; j++) {
                double z = b1[j];
                for (int i = 0; i < h; i++) {
                    z += p[r][i] * w1[i][j];
                }
                hidden[j] = Math.max(0, z);
            }
            double[] x = new double[h];
            double mean = 0;
            for (int k = 0; k < h; k++) {
                x[k] = b2[k];
                for (int j = 0; j < m; j++) {
                    x[k] += hidden[j] * w2[j][k];
                }
                mean += x[k] / h;
            }
            double variance = 0;
            for (int k = 0; k < h; k++) {
                variance += (x[k] - mean) * (x[k] - mean) / h;
            }
            for (int k = 0; k < h; k++) {
                out[r][k] = p[r][k] + (x[k] - mean) / Math.sqrt(variance + 1e-5) * gamma[k] + beta[k];
            }
        }
        return out;
    }

    static double loss(double[][] p, double[][] w1, double[] b1, double[][] w2, double[] b2, double[] gamma, double[] beta) {
        double[][] out = forward(p, w1, b1, w2, b2, gamma, beta);
        double sum = 0;
        for (int r = 0; r < out.length; r++) {
            for (int k = 0; k < H; k++) {
                sum += out[r][k] * C[r][k];
            }
        }
        return sum;
    }

    /** Central differences of the loss in float64 with respect to parameter {@code which} (0: P, 1..6: W1 … β), row-major. */
    static double[] numericGradient(int which) {
        double[][] p = copy(PROMPT);
        double[][] w1 = copy(W1);
        double[][] w2 = copy(W2);
        double[][] vectors = {B1.clone(), B2.clone(), GAMMA.clone(), BETA.clone()};
        double[][] matrix = which == 0 ? p : which == 1 ? w1 : which == 3 ? w2 : null;
        double[] vector = which == 2 ? vectors[0] : which == 4 ? vectors[1] : which == 5 ? vectors[2] : which == 6 ? vectors[3] : null;
        int n = matrix != null ? matrix.length * matrix[0].length : vector.length;
        double[] grad = new double[n];
        double eps = 1e-6;
        for (int e = 0; e < n; e++) {
            double[] cell = matrix != null ? matrix[e / matrix[0].length] : vector;
            int at = matrix != null ? e % matrix[0].length : e;
            double keep = cell[at];
            cell[at] = keep + eps;
            double plus = loss(p, w1, vectors[0], w2, vectors[1], vectors[2], vectors[3]);
            cell[at] = keep - eps;
            double minus = loss(p, w1, vectors[0], w2, vectors[1], vectors[2], vectors[3]);
            cell[at] = keep;
            grad[e] = (plus - minus) / (2 * eps);
        }
        return grad;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        boolean anyNonZero = false;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
            anyNonZero |= Math.abs(expected[i]) > 1e-3;
        }
        assertTrue(anyNonZero, what + " is all zero: the case tests nothing");
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }

    static float[] flat(double[][] m) {
        return floats(flatDouble(m));
    }

    static double[] flatDouble(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
