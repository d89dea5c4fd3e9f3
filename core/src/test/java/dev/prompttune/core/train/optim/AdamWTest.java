package dev.prompttune.core.train.optim;

import static dev.prompttune.core.train.optim.AdafactorTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against torch.optim.AdamW's update written out by hand. */
class AdamWTest {

    private static final float[] P0 = {1f, -2f, 0.5f, 3f};
    private static final float[] G1 = {0.1f, -0.2f, 0.3f, 0f};
    private static final float[] G2 = {-0.5f, 0.4f, 0f, 1e-3f};

    /** Hand AdamW in double: returns the parameter after each gradient. */
    private static double[][] byHand(float lr, double b1, double b2, double eps, double wd, float[] multipliers,
                                     float[]... grads) {
        int n = P0.length;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = P0[i];
        }
        double[] m = new double[n];
        double[] v = new double[n];
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            double lrT = lr * multipliers[t - 1];
            float[] g = grads[t - 1];
            for (int i = 0; i < n; i++) {
                p[i] *= 1 - lrT * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * (double) g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lrT * mHat / (Math.sqrt(vHat) + eps);
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    @Test
    void oneAndTwoStepsMatchTheDefinition() {
        float lr = 0.01f;
        double[][] expected = byHand(lr, 0.9, 0.999, 1e-8, 0.01, new float[] {1, 1}, G1, G2);
        try (NDManager manager = NDManager.newBaseManager(); AdamW opt = AdamW.defaults(lr).build(manager)) {
            NDArray p = manager.create(P0, new Shape(2, 2));
            opt.step(p, manager.create(G1, new Shape(2, 2)));
            assertClose(expected[0], p.toFloatArray(), 1e-6, "AdamW step 1");
            // First step of Adam moves every parameter with a non-zero gradient by ~lr.
            assertEquals(1f - 0.01f * 0.01f - 0.01f, p.toFloatArray()[0], 1e-6);
            opt.step(p, manager.create(G2, new Shape(2, 2)));
            assertClose(expected[1], p.toFloatArray(), 1e-6, "AdamW step 2");
            assertEquals(2, opt.stateTensorCount());
            assertEquals(8, opt.stateElementCount());
        }
    }

    @Test
    void customBetasWeightDecayAndWarmupSchedule() {
        float lr = 0.1f;
        LearningRateSchedule warmup = LearningRateSchedule.warmup(4);
        double[][] expected = byHand(lr, 0.8, 0.99, 1e-6, 0.1,
                new float[] {warmup.at(0), warmup.at(1), warmup.at(2)}, G1, G2, G1);
        try (NDManager manager = NDManager.newBaseManager();
             AdamW opt = AdamW.defaults(lr).withBetas(0.8f, 0.99f).withEpsilon(1e-6f).withWeightDecay(0.1f)
                     .withSchedule(warmup).build(manager)) {
            NDArray p = manager.create(P0);
            assertEquals(0f, opt.currentLearningRate());
            opt.step(List.of(p), List.of(manager.create(G1)));
            assertClose(expected[0], p.toFloatArray(), 0, "warm-up step 0 leaves the parameter unchanged");
            assertEquals(0.025f, opt.currentLearningRate(), 1e-9);
            opt.step(List.of(p), List.of(manager.create(G2)));
            opt.step(List.of(p), List.of(manager.create(G1)));
            assertClose(expected[2], p.toFloatArray(), 1e-6, "AdamW 3 scheduled steps");
            Map<String, Object> s = opt.settings();
            assertEquals(0.8f, s.get("beta1"));
            assertEquals(0.99f, s.get("beta2"));
            assertEquals(1e-6f, s.get("epsilon"));
            assertEquals(0.1f, s.get("weightDecay"));
            assertEquals("warmup:4", s.get("schedule"));
            assertEquals("AdamW(lr=0.1, beta1=0.8, beta2=0.99, epsilon=1.0E-6, weightDecay=0.1, "
                    + "weightDecayScaledByLr=true, schedule=warmup:4)", opt.describe());
        }
    }
}
