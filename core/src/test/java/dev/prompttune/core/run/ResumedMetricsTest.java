package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener.EvalEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A resumed record's metrics: whole lines up to the checkpoint's step kept as written, steps past it dropped, a line
 * lost or damaged before it rebuilt from the checkpoint and said (they were dropped without a word), order restored.
 */
class ResumedMetricsTest {

    /** Checkpoint at step 3: losses 0.5, 0.4, 0.3, an evaluation at step 2. */
    private static final TrainerState AT_STEP_3 = new TrainerState(3, new float[0][], new float[0][], new float[0][],
            0.75, 2, 1, List.of(0.5, 0.4, 0.3), List.of(new EvalEvent(2, "accuracy", 0.75, 0.75, 2)), null);

    private static String step(int step, double loss) {
        return "{\"type\":\"step\",\"step\":" + step + ",\"loss\":" + loss + ",\"lr\":0.3,\"examples_per_s\":9.0,\"seconds\":1.0}";
    }

    private static final String EVAL_2 = "{\"type\":\"eval\",\"step\":2,\"metric\":\"accuracy\",\"value\":0.75,\"best\":0.75,\"best_step\":2}";

    @Test
    void wholeLinesAreKeptAndLinesPastTheCheckpointDropped() {
        ResumedMetrics.Kept kept = ResumedMetrics.of(List.of(step(1, 0.5), step(2, 0.4), EVAL_2, step(3, 0.3), step(4, 0.2),
                "{\"type\":\"step\",\"st"), AT_STEP_3, "m.jsonl");
        assertEquals(String.join("\n", step(1, 0.5), step(2, 0.4), EVAL_2, step(3, 0.3)) + "\n", kept.text());
        assertNull(kept.warning(), "a killed process's cut last line past the checkpoint is no damage");
    }

    @Test
    void aDamagedLineIsRebuiltFromTheCheckpointAndOrderRestored() {
        ResumedMetrics.Kept kept = ResumedMetrics.of(List.of(step(1, 0.5), step(3, 0.3), "{\"type\":\"step\",\"step\":2,\"loss\":",
                step(2, 0.4)), AT_STEP_3, "m.jsonl");
        String rebuiltEval = "{\"type\":\"eval\",\"step\":2,\"metric\":\"accuracy\",\"value\":0.75,\"best\":0.75,\"best_step\":2}";
        assertEquals(String.join("\n", step(1, 0.5), step(2, 0.4), rebuiltEval, step(3, 0.3)) + "\n", kept.text());
        assertEquals("m.jsonl: 1 line(s) up to the checkpoint's step 3 were missing or unreadable and are rebuilt from "
                + "the checkpoint (a step line with its loss only); its lines were out of step order and are put back in "
                + "order", kept.warning());
    }

    @Test
    void aLostStepLineGetsItsLossFromTheCheckpoint() {
        ResumedMetrics.Kept kept = ResumedMetrics.of(List.of(step(1, 0.5), EVAL_2, step(3, 0.3)), AT_STEP_3, "m.jsonl");
        assertEquals(String.join("\n", step(1, 0.5), "{\"type\":\"step\",\"step\":2,\"loss\":0.4}", EVAL_2, step(3, 0.3))
                + "\n", kept.text());
    }
}
