package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An optimizer's state, copied out and restored into a fresh optimizer of the same settings, makes the same next steps
 * bit for bit (what a resumed run needs); without it, the steps differ.
 */
class OptimizerStateTest {

    private static final Shape PROMPT = new Shape(3, 8);
    private static final Shape MLP = new Shape(8);

    @Test
    void adafactorFactoredWithMomentumAndAScheduleRoundTrips() {
        roundTrip(m -> Adafactor.huggingFace(0.3f).withBeta1(0.9f)
                .withSchedule(LearningRateSchedule.warmup(4)).build(m));
    }

    @Test
    void adafactorPaperRoundTrips() {
        roundTrip(m -> Adafactor.paper(0.3f).withWeightDecay(1e-5f).build(m));
    }

    @Test
    void adamWRoundTrips() {
        roundTrip(m -> AdamW.defaults(0.01f).build(m));
    }

    @Test
    void aStateOfAnotherOptimizerOrShapeIsRefused() {
        try (NDManager m = NDManager.newBaseManager(); Optimizer adam = AdamW.defaults(0.01f).build(m);
             Optimizer ada = Adafactor.paper(0.3f).build(m)) {
            NDArray p = m.zeros(PROMPT);
            adam.step(List.of(p), List.of(m.ones(PROMPT)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ada.restore(adam.state(), List.of(p)));
            assertEquals("optimizer state is AdamW's; this optimizer is Adafactor", e.getMessage());
            Optimizer other = AdamW.defaults(0.01f).build(m);
            e = assertThrows(IllegalArgumentException.class, () -> other.restore(adam.state(), List.of(m.zeros(new Shape(4, 8)))));
            assertTrue(e.getMessage().contains("has shape (3, 8); AdamW keeps (4, 8)"), e.getMessage());
        }
    }

    /** Three steps on A; B gets A's state; then both take the same three steps: equal bits, and unequal without it. */
    private static void roundTrip(Function<NDManager, Optimizer> make) {
        try (NDManager m = NDManager.newBaseManager(); Optimizer a = make.apply(m); Optimizer b = make.apply(m);
             Optimizer fresh = make.apply(m)) {
            SplittableRandom random = new SplittableRandom(5);
            List<NDArray> pa = List.of(random(m, PROMPT, random), random(m, MLP, random));
            for (int s = 0; s < 3; s++) {
                a.step(pa, List.of(random(m, PROMPT, random), random(m, MLP, random)));
            }
            List<NDArray> pb = pa.stream().map(NDArray::duplicate).toList();
            List<NDArray> pf = pa.stream().map(NDArray::duplicate).toList();
            b.restore(a.state(), pb);
            assertEquals(a.stepCount(), b.stepCount());
            for (int s = 0; s < 3; s++) {
                List<NDArray> g = List.of(random(m, PROMPT, random), random(m, MLP, random));
                a.step(pa, g);
                b.step(pb, g);
                fresh.step(pf, g);
            }
            for (int i = 0; i < pa.size(); i++) {
                assertTrue(Arrays.equals(pa.get(i).toFloatArray(), pb.get(i).toFloatArray()), "parameter " + i);
            }
            assertFalse(Arrays.equals(pa.get(0).toFloatArray(), pf.get(0).toFloatArray()),
                    "without the state the steps differ (the comparison can fail)");
        }
    }

    private static NDArray random(NDManager m, Shape shape, SplittableRandom random) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return m.create(v, shape);
    }
}
