package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.RunCheckpoint;
import dev.prompttune.core.run.RunFailed;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.core.train.StopReason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster run in local[2] whose third step fails (a task that fails its only attempt: the run ends FAILED) resumes
 * from its record's checkpoint on the cluster and ends exactly as the run that never failed: prompt bits, losses, dev
 * scores. Dropout is on, so the resumed steps' masks must be the uninterrupted run's too.
 */
class ClusterResumeTest extends LocalClusterTest {

    static final String MASTER = "local[2]";

    @Test
    void aFailedClusterRunResumedEqualsTheRunThatNeverFailed() {
        PromptTuneRun clean = new PromptTuning(session).execute(world.spec().name("clean").cluster(MASTER).build(), List.of());

        FaultInjection.plan = FaultInjection.failing(s -> s == 2, p -> p == 1, a -> true);
        RunFailed failed = assertThrows(RunFailed.class, () -> new PromptTuning(session).execute(
                world.spec().name("failing").cluster(MASTER).build(), List.of()));
        Path record = failed.record();
        assertTrue(RunCheckpoint.exists(record), "a run failed on the cluster keeps its checkpoint");
        FaultInjection.plan = null;

        PromptTuneRun resumed = new PromptTuning(session).resume(record, null, List.of());
        assertEquals(StopReason.COMPLETED, resumed.stopReason());
        TinyRuns.assertSameBits(clean.prompt(), resumed.prompt(), "prompt of the resumed run");
        assertEquals(clean.losses(), resumed.losses());
        assertEquals(clean.evals(), resumed.evals());
        assertEquals(clean.bestStep(), resumed.bestStep());
        TinyRuns.assertSameBits(clean.prompt(), RunRecord.load(record).prompt(), "prompt in the record");
    }
}
