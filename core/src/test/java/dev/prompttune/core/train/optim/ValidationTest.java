package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings fail with one line naming the setting, the value and what is allowed. */
class ValidationTest {

    private static void rejects(Executable make, String setting, String value, String allowed) {
        PromptTuneException e = assertThrows(PromptTuneException.class, make);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains(" " + setting + " = " + value + " "), "names setting and value: " + msg);
        assertTrue(msg.contains("allowed: " + allowed), "names the allowed range: " + msg);
    }

    @Test
    void adafactor() {
        rejects(() -> Adafactor.paper(0f), "lr", "0.0", "a finite number > 0");
        rejects(() -> Adafactor.paper(-0.3f), "lr", "-0.3", "a finite number > 0");
        rejects(() -> Adafactor.huggingFace(Float.NaN), "lr", "NaN", "a finite number > 0");
        rejects(() -> Adafactor.paper(Float.POSITIVE_INFINITY), "lr", "Infinity", "a finite number > 0");
        rejects(() -> Adafactor.paper(0.3f).withDecayRate(0f), "decayRate", "0.0", "(0, 1]");
        rejects(() -> Adafactor.huggingFace(0.3f).withDecayRate(-0.8f), "decayRate", "-0.8", "(0, 1]");
        rejects(() -> Adafactor.paper(0.3f).withDecayRate(1.5f), "decayRate", "1.5", "(0, 1]");
        rejects(() -> Adafactor.paper(0.3f).withEpsilon1(0f), "epsilon1", "0.0", "a finite number > 0");
        rejects(() -> Adafactor.paper(0.3f).withClipThreshold(-1f), "clipThreshold", "-1.0", "a number > 0");
        rejects(() -> Adafactor.paper(0.3f).withWeightDecay(-1e-5f), "weightDecay", "-1.0E-5", "[0, 1)");
        rejects(() -> Adafactor.paper(0.3f).withWeightDecay(1f), "weightDecay", "1.0", "[0, 1)");
        rejects(() -> Adafactor.huggingFace(0.3f).withWeightDecay(Float.NaN), "weightDecay", "NaN", "a finite number >= 0");
        rejects(() -> Adafactor.paper(0.3f).withBeta1(1f), "beta1", "1.0", "[0, 1)");
        rejects(() -> Adafactor.paper(0.3f).withStepOffset(-1), "stepOffset", "-1", "an integer >= 0");
        rejects(() -> Adafactor.paper(0.3f).withFactorMinDim(-2), "factorMinDim", "-2", "an integer >= 0");
        // Allowed edges.
        Adafactor.paper(0.3f).withDecayRate(1f).withClipThreshold(Float.POSITIVE_INFINITY).withWeightDecay(0f)
                .withBeta1(0f).withStepOffset(1_000_000);
        Adafactor.huggingFace(0.3f).withWeightDecay(2f);
    }

    @Test
    void adamW() {
        rejects(() -> AdamW.defaults(-1f), "lr", "-1.0", "a finite number > 0");
        rejects(() -> AdamW.defaults(1e-3f).withBetas(1f, 0.999f), "beta1", "1.0", "[0, 1)");
        rejects(() -> AdamW.defaults(1e-3f).withBetas(0.9f, -0.1f), "beta2", "-0.1", "[0, 1)");
        rejects(() -> AdamW.defaults(1e-3f).withEpsilon(0f), "epsilon", "0.0", "a finite number > 0");
        rejects(() -> AdamW.defaults(1e-3f).withWeightDecay(-0.01f), "weightDecay", "-0.01", "a finite number >= 0");
    }

    @Test
    void schedules() {
        rejects(() -> LearningRateSchedule.warmup(-1), "warmupSteps", "-1", "an integer >= 0");
        rejects(() -> LearningRateSchedule.warmupLinearDecay(100, 100), "totalSteps", "100", "an integer > warmupSteps (100)");
        rejects(() -> LearningRateSchedule.parse("cosine"), "schedule", "'cosine'", "constant, warmup:N or linear:N:TOTAL");
        rejects(() -> LearningRateSchedule.parse("warmup:x"), "schedule", "'warmup:x'", "constant, warmup:N or linear:N:TOTAL");
    }
}
