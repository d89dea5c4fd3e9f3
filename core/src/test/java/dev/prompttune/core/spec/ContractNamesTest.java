package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.EvaluationMode;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.optim.OptimizerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The names that specs, task.json and run records use for metrics, evaluation modes, optimizers and stop reasons
 * are each defined once, by an enum: they round-trip, the spec allows exactly them, and an unknown name is one clear
 * error that lists the allowed ones.
 */
class ContractNamesTest {

    @Test
    void namesAreTheOnesRecordsAndSpecsUse() {
        assertEquals(List.of("accuracy", "macro_f1"), Metric.keys());
        assertEquals(List.of("rank", "generate"), EvaluationMode.keys());
        assertEquals(List.of("adafactor", "adafactor-hf", "adamw"), OptimizerKind.keys());
        assertEquals(PromptTuneSpec.METRICS, Metric.keys());
        assertEquals(PromptTuneSpec.EVALUATIONS, EvaluationMode.keys());
        assertEquals(PromptTuneSpec.OPTIMIZERS, OptimizerKind.keys());
        for (Metric m : Metric.values()) {
            assertSame(m, Metric.of(m.key()));
        }
        for (StopReason r : StopReason.values()) {
            assertSame(r, StopReason.of(r.key()));
        }
        assertEquals("INTERRUPTED", StopReason.INTERRUPTED.key(), "records written before the enum hold these names");
    }

    @Test
    void unknownNamesAreOneClearError() {
        String metric = assertThrows(PromptTuneException.class, () -> Metric.of("f1")).getMessage();
        assertTrue(metric.contains("'f1'") && metric.contains("accuracy, macro_f1"), metric);
        String mode = assertThrows(PromptTuneException.class, () -> EvaluationMode.of("greedy")).getMessage();
        assertTrue(mode.contains("'greedy'") && mode.contains("rank, generate"), mode);
        String optimizer = assertThrows(PromptTuneException.class, () -> OptimizerKind.of("sgd")).getMessage();
        assertTrue(optimizer.contains("'sgd'") && optimizer.contains("adafactor, adafactor-hf, adamw"), optimizer);
        String reason = assertThrows(PromptTuneException.class, () -> StopReason.of("DONE")).getMessage();
        assertTrue(reason.contains("'DONE'") && reason.contains("COMPLETED"), reason);
    }

    @Test
    void theMetricScoresAsDefined() {
        int[] gold = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 2, 2};
        assertEquals(4.0 / 6, Metric.ACCURACY.score(gold, predicted, 3), 1e-12);
        // class 0: P 1, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 1/2; class 2: P 1/2, R 1, F1 2/3
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, Metric.MACRO_F1.score(gold, predicted, 3), 1e-12);
    }

    @Test
    void eachOptimizerHasItsDefaultWeightDecay() {
        assertEquals(1e-5, PromptTuneSpec.builder().model("m").data("spam").build().weightDecay(), 0.0);
        assertEquals(0.01, PromptTuneSpec.builder().model("m").data("spam").optimizer("adamw").build().weightDecay(), 0.0);
        assertEquals(0.0, PromptTuneSpec.builder().model("m").data("spam").optimizer("adafactor-hf").build().weightDecay(), 0.0);
    }
}
