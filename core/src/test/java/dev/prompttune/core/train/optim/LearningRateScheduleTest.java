package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsOneEverywhere() {
        LearningRateSchedule s = LearningRateSchedule.constant();
        assertEquals(1f, s.at(0));
        assertEquals(1f, s.at(29_999));
        assertSame(s, LearningRateSchedule.warmup(0));
        assertEquals(Map.of("kind", "constant"), s.settings());
    }

    @Test
    void warmupThenConstant() {
        LearningRateSchedule s = LearningRateSchedule.warmup(2000);
        assertEquals(0f, s.at(0));
        assertEquals(0.0005f, s.at(1), 1e-9);
        assertEquals(0.5f, s.at(1000));
        assertEquals(1999 / 2000f, s.at(1999), 1e-7);
        assertEquals(1f, s.at(2000));
        assertEquals(1f, s.at(30_000));
    }

    @Test
    void warmupThenLinearDecayToZero() {
        LearningRateSchedule s = LearningRateSchedule.warmupLinearDecay(10, 110);
        assertEquals(0f, s.at(0));
        assertEquals(0.5f, s.at(5));
        assertEquals(1f, s.at(10));
        assertEquals(0.99f, s.at(11), 1e-7);
        assertEquals(0.5f, s.at(60));
        assertEquals(0.01f, s.at(109), 1e-7);
        assertEquals(0f, s.at(110));
        assertEquals(0f, s.at(500));
        LearningRateSchedule noWarmup = LearningRateSchedule.warmupLinearDecay(0, 4);
        assertEquals(1f, noWarmup.at(0));
        assertEquals(0.25f, noWarmup.at(3));
    }

    @Test
    void parsesItsOwnText() {
        for (LearningRateSchedule s : new LearningRateSchedule[] {LearningRateSchedule.constant(),
                LearningRateSchedule.warmup(3000), LearningRateSchedule.warmupLinearDecay(2000, 30000)}) {
            assertEquals(s, LearningRateSchedule.parse(s.toString()));
        }
        assertEquals("linear:2000:30000", LearningRateSchedule.warmupLinearDecay(2000, 30000).toString());
        assertEquals(Map.of("kind", "linear", "warmupSteps", 2000, "totalSteps", 30000),
                LearningRateSchedule.warmupLinearDecay(2000, 30000).settings());
    }

    /** A schedule text out of range is named as written, not by the internal warmupSteps/totalSteps it sets. */
    @Test
    void aScheduleOutOfRangeIsNamedAsWritten() {
        String warmup = org.junit.jupiter.api.Assertions.assertThrows(dev.prompttune.core.PromptTuneException.class,
                () -> LearningRateSchedule.parse("warmup:-5")).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(warmup.contains("'warmup:-5'") && warmup.contains("allowed: warmup:N with N >= 0")
                && !warmup.contains("warmupSteps"), warmup);
        String linear = org.junit.jupiter.api.Assertions.assertThrows(dev.prompttune.core.PromptTuneException.class,
                () -> LearningRateSchedule.parse("linear:5:1")).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(linear.contains("'linear:5:1'") && linear.contains("TOTAL > N")
                && !linear.contains("totalSteps"), linear);
    }

    @Test
    void optimizerMultipliesBaseLrBySchedule() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             Adafactor opt = Adafactor.paper(0.3f).withSchedule(LearningRateSchedule.warmup(4)).build(m)) {
            ai.djl.ndarray.NDArray p = m.zeros(new ai.djl.ndarray.types.Shape(3));
            ai.djl.ndarray.NDArray g = m.ones(new ai.djl.ndarray.types.Shape(3));
            float[] expectedLr = {0f, 0.075f, 0.15f, 0.225f, 0.3f, 0.3f};
            for (float lr : expectedLr) {
                assertEquals(lr, opt.currentLearningRate(), 1e-7);
                float before = p.toFloatArray()[0];
                opt.step(p, g);
                // u = 1 (g constant, v = g² + eps after any number of steps), so the move is lr (plus decay of 0).
                assertEquals(before * (1 - 1e-5f) - lr, p.toFloatArray()[0], 1e-6);
            }
        }
    }
}
