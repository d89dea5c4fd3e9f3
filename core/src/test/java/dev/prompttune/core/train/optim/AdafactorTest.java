package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adafactor against hand computations from the definitions (T5X "paper" preset and Hugging Face preset). */
class AdafactorTest {

    private static final float EPS1 = 1e-30f;

    @Test
    void paperFactorsOnlyWhenBothLargestDimsReach128() {
        try (NDManager m = NDManager.newBaseManager(); Adafactor paper = Adafactor.paper(0.3f).build(m);
             Adafactor hf = Adafactor.huggingFace(0.3f).build(m)) {
            assertFalse(paper.isFactored(new Shape(5, 32)), "a [5,32] prompt keeps a full second moment");
            assertFalse(paper.isFactored(new Shape(100, 4096)));
            assertFalse(paper.isFactored(new Shape(32128)));
            assertTrue(paper.isFactored(new Shape(200, 256)));
            assertTrue(paper.isFactored(new Shape(128, 128)));
            assertArrayEquals(new int[] {0, 2}, paper.factoredDims(new Shape(300, 4, 200)), "the two largest dims");
            assertTrue(hf.isFactored(new Shape(5, 32)), "HF factors every tensor with >= 2 dims");
            assertArrayEquals(new int[] {1, 2}, hf.factoredDims(new Shape(300, 4, 200)), "HF: the last two dims");
            assertFalse(hf.isFactored(new Shape(7)));

            // State held: full for the prompt under the paper rules, row + column otherwise.
            NDArray prompt = m.zeros(new Shape(5, 32));
            NDArray big = m.zeros(new Shape(200, 256));
            NDArray g1 = m.ones(new Shape(5, 32));
            NDArray g2 = m.ones(new Shape(200, 256));
            paper.step(List.of(prompt, big), List.of(g1, g2));
            assertEquals(3, paper.stateTensorCount());
            assertEquals(5 * 32 + 200 + 256, paper.stateElementCount());
            hf.step(prompt, g1);
            assertEquals(2, hf.stateTensorCount());
            assertEquals(5 + 32, hf.stateElementCount());
        }
    }

    @Test
    void paperStateIsForThePromptAlone() {
        try (NDManager m = NDManager.newBaseManager(); Adafactor opt = Adafactor.paper(0.3f).build(m)) {
            assertEquals(0, opt.stateTensorCount());
            NDArray prompt = m.randomNormal(new Shape(100, 768));
            opt.step(prompt, m.randomNormal(new Shape(100, 768)));
            assertEquals(1, opt.stateTensorCount());
            assertEquals(100L * 768, opt.stateElementCount());
            assertEquals(1, opt.parameterCount());
        }
        try (NDManager m = NDManager.newBaseManager();
             Adafactor opt = Adafactor.paper(0.3f).withBeta1(0.9f).build(m)) {
            opt.step(m.zeros(new Shape(200, 256)), m.ones(new Shape(200, 256)));
            assertEquals(3, opt.stateTensorCount(), "row, column, momentum");
            assertEquals(200 + 256 + 200L * 256, opt.stateElementCount());
        }
    }

    /** Two paper-preset steps on a [2,3] tensor, computed from the definition in double precision. */
    @Test
    void paperTwoStepsByHand() {
        float lr = 0.1f;
        float[] p0 = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
        float[] g1 = {0.1f, -0.2f, 0.05f, 0.3f, 0.0f, -0.01f};
        float[] g2 = {2.0f, 0.1f, -0.3f, 0.02f, 0.5f, 0.01f};
        try (NDManager m = NDManager.newBaseManager(); Adafactor opt = Adafactor.paper(lr).build(m)) {
            NDArray p = m.create(p0, new Shape(2, 3));
            opt.step(p, m.create(g1, new Shape(2, 3)));
            // First step: beta2 = 1 - 1^-0.8 = 0, so v = g² + eps1 exactly.
            assertEquals(0f, opt.beta2(1));
            float[] v = opt.stateOf("#0")[0].toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(g1[i] * g1[i] + EPS1, v[i], 0f, "v after step 1 [" + i + "]");
            }
            double[] v1 = new double[6];
            double[] expected = new double[6];
            for (int i = 0; i < 6; i++) {
                v1[i] = (double) g1[i] * g1[i] + EPS1;
            }
            double[] u1 = clip(divSqrt(g1, v1), 1.0);
            for (int i = 0; i < 6; i++) {
                expected[i] = p0[i] * (1 - 1e-5) - lr * u1[i];
            }
            assertClose(expected, p.toFloatArray(), 1e-6, "after step 1");

            opt.step(p, m.create(g2, new Shape(2, 3)));
            double beta2 = 1 - Math.pow(2, -0.8);
            assertEquals(beta2, opt.beta2(2), 1e-7);
            double[] v2 = new double[6];
            for (int i = 0; i < 6; i++) {
                v2[i] = beta2 * v1[i] + (1 - beta2) * ((double) g2[i] * g2[i] + EPS1);
            }
            double[] raw = divSqrt(g2, v2);
            assertTrue(rms(raw) > 1, "the test data must make clipping act on step 2: rms " + rms(raw));
            double[] u2 = clip(raw, 1.0);
            for (int i = 0; i < 6; i++) {
                expected[i] = expected[i] * (1 - 1e-5) - lr * u2[i];
            }
            assertClose(expected, p.toFloatArray(), 1e-6, "after step 2");
            assertEquals(2, opt.stepCount());
        }
    }

    /** One Hugging Face step on a factored [3,4] tensor, from the description of transformers' Adafactor. */
    @Test
    void huggingFaceFactoredStepByHand() {
        float lr = 0.3f;
        int rows = 3;
        int cols = 4;
        Random random = new Random(7);
        float[] p0 = new float[rows * cols];
        float[] g = new float[rows * cols];
        for (int i = 0; i < p0.length; i++) {
            p0[i] = (float) random.nextGaussian();
            g[i] = (float) (random.nextGaussian() * (1 + i % 3));
        }
        try (NDManager m = NDManager.newBaseManager(); Adafactor opt = Adafactor.huggingFace(lr).build(m)) {
            NDArray p = m.create(p0, new Shape(rows, cols));
            opt.step(p, m.create(g, new Shape(rows, cols)));
            double[] row = new double[rows];
            double[] col = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sq = (double) g[i * cols + j] * g[i * cols + j] + EPS1;
                    row[i] += sq / cols;
                    col[j] += sq / rows;
                }
            }
            double rowMean = 0;
            for (double r : row) {
                rowMean += r / rows;
            }
            double[] u = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    u[i * cols + j] = g[i * cols + j] / Math.sqrt(row[i] / rowMean) / Math.sqrt(col[j]);
                }
            }
            u = clip(u, 1.0);
            double[] expected = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                expected[i] = p0[i] - lr * u[i];
            }
            assertClose(expected, p.toFloatArray(), 1e-5, "HF factored step");
            assertClose(row, opt.stateOf("#0")[0].toFloatArray(), 1e-6, "row statistic");
            assertClose(col, opt.stateOf("#0")[1].toFloatArray(), 1e-6, "column statistic");
        }
    }

    @Test
    void paperWeightDecayIsNotScaledByLr() {
        try (NDManager m = NDManager.newBaseManager();
             Adafactor paper = Adafactor.paper(1e-9f).build(m);
             Adafactor hf = Adafactor.huggingFace(1e-9f).withWeightDecay(1e-5f).build(m)) {
            float[] values = {1f, -2f, 3.5f, 100f, -0.125f, 7f};
            NDArray p = m.create(values, new Shape(2, 3));
            NDArray q = m.create(values, new Shape(2, 3));
            NDArray zero = m.zeros(new Shape(2, 3));
            paper.step(p, zero);
            hf.step(q, zero);
            float[] after = p.toFloatArray();
            float[] hfAfter = q.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i] * (1f - 1e-5f), after[i], 0f, "paper: param *= (1 - 1e-5)");
                assertEquals(values[i] * (1 - 1e-5 * 1e-9), hfAfter[i], Math.ulp(values[i]), "HF: lr-scaled decay");
            }
        }
    }

    @Test
    void updateClippingBoundsTheUpdateRmsAtLr() {
        float lr = 0.01f;
        Random random = new Random(3);
        for (Shape shape : new Shape[] {new Shape(64, 64), new Shape(200, 256)}) {
            try (NDManager m = NDManager.newBaseManager();
                 Adafactor clipped = Adafactor.paper(lr).withWeightDecay(0).build(m);
                 Adafactor unclipped = Adafactor.paper(lr).withWeightDecay(0).withClipThreshold(Float.POSITIVE_INFINITY).build(m)) {
                NDArray a = m.randomNormal(shape);
                NDArray b = a.duplicate();
                double maxRatio = 0;
                double maxUnclipped = 0;
                for (int step = 0; step < 4; step++) {
                    // Small gradients, then a sudden large one: the second moment lags, so rms(u) > 1.
                    float scale = step < 3 ? 1e-3f : 10f;
                    float[] gv = new float[(int) shape.size()];
                    for (int i = 0; i < gv.length; i++) {
                        gv[i] = (float) random.nextGaussian() * scale;
                    }
                    NDArray g = m.create(gv, shape);
                    float[] before = a.toFloatArray();
                    float[] beforeB = b.toFloatArray();
                    clipped.step(a, g);
                    unclipped.step(b, g);
                    maxRatio = Math.max(maxRatio, rmsDelta(before, a.toFloatArray()) / lr);
                    maxUnclipped = Math.max(maxUnclipped, rmsDelta(beforeB, b.toFloatArray()) / lr);
                }
                assertTrue(maxRatio <= 1 + 1e-4, shape + ": rms(update) / lr = " + maxRatio);
                assertTrue(maxRatio > 0.99, shape + ": the clipped steps should reach the bound, got " + maxRatio);
                assertTrue(maxUnclipped > 1.5, shape + ": without clipping the spike exceeds the bound, got " + maxUnclipped);
            }
        }
    }

    @Test
    void stepOffsetChangesBeta2() {
        float[] g = {0.5f, -0.25f, 2f};
        try (NDManager m = NDManager.newBaseManager();
             Adafactor opt = Adafactor.paper(0.1f).withStepOffset(10).build(m)) {
            double beta2 = 1 - Math.pow(11, -0.8);
            assertEquals(beta2, opt.beta2(1), 1e-7);
            assertEquals(1 - Math.pow(12, -0.8), opt.beta2(2), 1e-7);
            opt.step(m.zeros(new Shape(3)), m.create(g));
            float[] v = opt.stateOf("#0")[0].toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals((1 - beta2) * g[i] * g[i], v[i], 1e-6 * g[i] * g[i], "v[" + i + "] with offset 10");
            }
            assertEquals(10L, opt.settings().get("stepOffset"));
        }
    }

    @Test
    void momentumAndParameterScaleFollowTheirDefinitions() {
        float lr = 0.05f;
        float[] p0 = {3f, -4f};
        float[] g = {1f, 1f};
        try (NDManager m = NDManager.newBaseManager();
             Adafactor opt = Adafactor.huggingFace(lr).withBeta1(0.9f).withScaleParameter(true).build(m)) {
            NDArray p = m.create(p0);
            opt.step(p, m.create(g));
            // u = g/|g| = 1 (rms 1), lr' = lr * max(1e-3, rms(p)), momentum m = 0.1 * lr' u.
            double rmsP = Math.sqrt((9 + 16) / 2.0);
            double stepSize = 0.1 * lr * rmsP;
            assertClose(new double[] {3 - stepSize, -4 - stepSize}, p.toFloatArray(), 1e-6, "step 1");
            assertEquals(2, opt.stateTensorCount());
        }
    }

    @Test
    void namedParametersKeepTheirStateAndNullGradientsSkip() {
        try (NDManager m = NDManager.newBaseManager(); Adafactor opt = Adafactor.paper(0.3f).build(m)) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a", m.ones(new Shape(2, 2)));
            params.put("frozen", m.ones(new Shape(3)));
            params.put("b", m.ones(new Shape(4)));
            Map<String, NDArray> grads = new HashMap<>();
            grads.put("a", m.ones(new Shape(2, 2)));
            grads.put("b", m.ones(new Shape(4)).neg());
            NDArray a = params.get("a");
            opt.step(params, grads);
            opt.step(params, grads);
            assertSame(a, params.get("a"));
            assertEquals(2, opt.parameterCount());
            assertNull(opt.stateOf("frozen"));
            assertArrayEquals(new float[] {1f, 1f, 1f}, params.get("frozen").toFloatArray());
            assertTrue(a.toFloatArray()[0] < 0.5f);
            assertTrue(params.get("b").toFloatArray()[0] > 1.5f);
        }
    }

    @Test
    void halfPrecisionParameterIsUpdatedInPlaceWithFloat32Math() {
        try (NDManager m = NDManager.newBaseManager();
             Adafactor half = Adafactor.huggingFace(0.3f).build(m);
             Adafactor full = Adafactor.huggingFace(0.3f).build(m)) {
            NDArray p32 = m.randomNormal(new Shape(4, 8));
            NDArray p16 = p32.toType(DataType.FLOAT16, true);
            NDArray g = m.randomNormal(new Shape(4, 8));
            NDArray g16 = g.toType(DataType.FLOAT16, true);
            for (int step = 0; step < 3; step++) {
                half.step(p16, g16);
                full.step(p32, g);
            }
            assertEquals(DataType.FLOAT16, p16.getDataType());
            assertEquals(DataType.FLOAT32, half.stateOf("#0")[0].getDataType());
            float[] a = p16.toType(DataType.FLOAT32, true).toFloatArray();
            float[] b = p32.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 0.01 + 0.002 * Math.abs(b[i]), "fp16 vs fp32 [" + i + "]");
            }
        }
    }

    @Test
    void settingsNameEveryHyperParameter() {
        try (NDManager m = NDManager.newBaseManager(); Adafactor opt = Adafactor.paper(0.3f).build(m)) {
            Map<String, Object> s = opt.settings();
            for (String key : List.of("lr", "decayRate", "epsilon1", "epsilon2", "clipThreshold", "weightDecay",
                    "weightDecayScaledByLr", "factorMinDim", "factorLargestDims", "beta1", "stepOffset",
                    "scaleParameter", "schedule")) {
                assertTrue(s.containsKey(key), key);
            }
            assertEquals(0.3f, s.get("lr"));
            assertEquals(0.8f, s.get("decayRate"));
            assertEquals(1e-5f, s.get("weightDecay"));
            assertEquals(false, s.get("weightDecayScaledByLr"));
            assertEquals(128, s.get("factorMinDim"));
            assertEquals("off", s.get("beta1"));
            assertEquals("constant", s.get("schedule"));
            assertTrue(opt.describe().startsWith("Adafactor(lr=0.3, decayRate=0.8"), opt.describe());
            Map<String, Object> hf = Adafactor.huggingFace(0.3f).asMap();
            assertEquals(0f, hf.get("weightDecay"));
            assertEquals(true, hf.get("weightDecayScaledByLr"));
            assertEquals(0, hf.get("factorMinDim"));
        }
    }

    @Test
    void closeFreesTheState() {
        NDManager m = NDManager.newBaseManager();
        try (m) {
            Adafactor opt = Adafactor.paper(0.3f).build(m);
            opt.step(m.zeros(new Shape(4, 4)), m.ones(new Shape(4, 4)));
            NDManager state = opt.manager();
            assertEquals(1, state.getManagedArrays().size());
            opt.close();
            assertFalse(state.isOpen());
        }
    }

    // ---- helpers ----

    static double[] divSqrt(float[] g, double[] v) {
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            u[i] = g[i] / Math.sqrt(v[i]);
        }
        return u;
    }

    static double rms(double[] u) {
        double s = 0;
        for (double x : u) {
            s += x * x;
        }
        return Math.sqrt(s / u.length);
    }

    static double[] clip(double[] u, double threshold) {
        double d = Math.max(1, rms(u) / threshold);
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = u[i] / d;
        }
        return out;
    }

    static double rmsDelta(float[] before, float[] after) {
        double s = 0;
        for (int i = 0; i < before.length; i++) {
            double d = (double) after[i] - before[i];
            s += d * d;
        }
        return Math.sqrt(s / before.length);
    }

    static void assertClose(double[] expected, float[] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relTol * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }
}
