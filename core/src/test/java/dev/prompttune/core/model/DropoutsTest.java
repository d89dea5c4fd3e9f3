package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** {@link Dropouts}: torch's dropout semantics (rate, scaling, gradient), reproducible from torch's seed. */
class DropoutsTest {

    @Test
    void dropsAboutTheRateAndScalesTheRest() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(400, 1000));
            float[] y = Dropouts.apply(x, 0.1f, true).toFloatArray();
            int zeros = 0;
            for (float v : y) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertEquals(1f / 0.9f, v, 1e-6f);
                }
            }
            // 400k draws: the standard deviation of the fraction is 0.0005
            assertEquals(0.1, zeros / (double) y.length, 0.003);
        }
    }

    @Test
    void sameSeedSameMaskAndInferenceIsIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(8, 33)); // odd size: the last element has its own draw
            Engine.getInstance().setRandomSeed(11);
            float[] first = Dropouts.apply(x, 0.5f, true).toFloatArray();
            float[] second = Dropouts.apply(x, 0.5f, true).toFloatArray();
            Engine.getInstance().setRandomSeed(11);
            assertArrayEquals(first, Dropouts.apply(x, 0.5f, true).toFloatArray());
            assertFalse(java.util.Arrays.equals(first, second));
            assertSame(x, Dropouts.apply(x, 0.5f, false));
            assertSame(x, Dropouts.apply(x, 0f, true));
        }
    }

    /** A micro-batch's masks depend on its scope's seed alone: not on torch's generator, not on the thread. */
    @Test
    void aScopeSeedsTheMasksWhateverTorchsGeneratorAndThread() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(8, 33));
            float[] first;
            float[] other;
            Engine.getInstance().setRandomSeed(1);
            try (DropoutScope s = DropoutScope.open(0.5f, 99)) {
                first = Dropouts.apply(x, 0.5f, true).toFloatArray();
            }
            Engine.getInstance().setRandomSeed(2);
            float[][] onThread = new float[1][];
            Thread t = new Thread(() -> {
                try (DropoutScope s = DropoutScope.open(0.5f, 99)) {
                    onThread[0] = Dropouts.apply(x, 0.5f, true).toFloatArray();
                }
            });
            t.start();
            t.join();
            try (DropoutScope s = DropoutScope.open(0.5f, 100)) {
                other = Dropouts.apply(x, 0.5f, true).toFloatArray();
            }
            assertArrayEquals(first, onThread[0]);
            assertFalse(java.util.Arrays.equals(first, other));
        }
    }

    /** The scope's rate is the model's rate on this thread only (a shared replica serves tasks of other runs). */
    @Test
    void aScopeSetsTheRateForItsThreadOnly() throws Exception {
        DropoutSetting setting = new DropoutSetting(0.1f);
        float[] elsewhere = new float[1];
        try (DropoutScope s = DropoutScope.open(0.3f, 1)) {
            assertEquals(0.3f, setting.get());
            Thread t = new Thread(() -> elsewhere[0] = setting.get());
            t.start();
            t.join();
        }
        assertEquals(0.1f, elsewhere[0]);
        assertEquals(0.1f, setting.get());
    }

    @Test
    void gradientIsTheScaledMaskEvenAfterACollection() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(1f, 2f, new Shape(64, 64));
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y = Dropouts.apply(x, 0.3f, true);
                NDArray loss = y.sum();
                System.gc(); // the mask autograd keeps must not depend on any Java buffer
                collector.backward(loss);
            }
            float[] grad = x.getGradient().toFloatArray();
            float[] out = y.toFloatArray();
            float[] in = x.toFloatArray();
            for (int i = 0; i < grad.length; i++) {
                assertEquals(out[i] / in[i], grad[i], 1e-5f);
                assertTrue(grad[i] == 0f || Math.abs(grad[i] - 1f / 0.7f) < 1e-5f);
            }
        }
    }
}
