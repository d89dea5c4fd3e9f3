package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.RunFailed;
import dev.prompttune.core.spec.ClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults in local[2,4] (4 attempts per task): a failed task is retried and the run trains the same prompt; a task
 * that fails every attempt fails the run (FAILED, record written, best prompt kept), and the context stays usable.
 */
class TaskFailureTest extends LocalClusterTest {

    static final String MASTER = "local[2,4]";

    @Test
    void aRetriedTaskGivesTheSameStep() {
        PromptTuneRun clean = new PromptTuning(session).execute(world.spec().name("clean").cluster(MASTER).build(), List.of());
        int[] injected = new int[1];
        FaultInjection.Plan fail = FaultInjection.failing(s -> s == 1, p -> p == 1, a -> a == 0);
        FaultInjection.plan = (step, partition, attempt) -> {
            injected[0] += step == 1 && partition == 1 && attempt == 0 ? 1 : 0;
            fail.at(step, partition, attempt);
        };
        PromptTuneRun retried = new PromptTuning(session).execute(world.spec().name("retried").cluster(MASTER).build(), List.of());
        assertEquals(1, injected[0], "the second step's second task failed once");
        TinyRuns.assertSameBits(clean.prompt(), retried.prompt(), "prompt after a retried task");
        assertEquals(clean.losses(), retried.losses());
    }

    @Test
    void exhaustedRetriesFailTheRunKeepingTheBestPromptAndTheContext() throws Exception {
        // Steps 1-2 train (dev at step 2 picks a best prompt); every attempt of step 3's first task fails.
        PromptTuneRun twoSteps = new PromptTuning(session).execute(world.spec().name("two").steps(2).cluster(MASTER).build(),
                List.of());
        FaultInjection.plan = FaultInjection.failing(s -> s == 2, p -> p == 0, a -> true);
        RunFailed failed = assertThrows(RunFailed.class, () -> new PromptTuning(session).execute(
                world.spec().name("exhausted").cluster(MASTER).build(), List.of()));
        assertTrue(failed.getMessage().contains("step 3 failed: the Spark job failed: Job aborted due to stage failure"),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("kept the best prompt (step 2)"), failed.getMessage());
        assertTrue(!failed.getMessage().contains("\n"), failed.getMessage());

        Path record = failed.record();
        JsonObject summary = JsonParser.parseString(Files.readString(record.resolve("summary.json"))).getAsJsonObject();
        assertEquals("FAILED", summary.get("stop_reason").getAsString(), summary.toString());
        float[] kept = PromptFile.load(record.resolve("prompt.safetensors")).values();
        TinyRuns.assertSameBits(twoSteps.prompt(), kept, "the failed run's record keeps the best prompt (step 2)");

        FaultInjection.plan = null;
        assertEquals(3L, SparkContexts.get(ClusterSpec.of(MASTER)).parallelize(List.of(1, 2, 3), 2).count(),
                "the context still runs jobs");
        PromptTuneRun after = new PromptTuning(session).execute(world.spec().name("after").steps(2).cluster(MASTER).build(),
                List.of());
        TinyRuns.assertSameBits(twoSteps.prompt(), after.prompt(), "a run after the failure");
    }
}
