package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel prompt tuning in local[2]: W workers with gradientAccumulation a train the same prompt, bit for bit,
 * as one process with gradientAccumulation a·W (same seed, dropout on), with the model loaded once per executor.
 */
class DataParallelTrainingTest extends LocalClusterTest {

    private static PromptTuneRun run(PromptTuneSpec spec) {
        return new PromptTuning(session).execute(spec, List.of());
    }

    @Test
    void twoWorkersEqualOneProcessWithTwiceTheAccumulation() {
        int loadsBefore = ExecutorModels.loads();
        for (int a : new int[] {1, 2}) {
            PromptTuneRun single = run(world.spec().name("single-" + a).gradientAccumulation(2 * a).build());
            PromptTuneRun cluster = run(world.spec().name("cluster-" + a).gradientAccumulation(a).cluster("local[2]").build());
            TinyRuns.assertSameBits(single.prompt(), cluster.prompt(), "prompt with gradientAccumulation " + a);
            assertEquals(single.losses(), cluster.losses(), "losses with gradientAccumulation " + a);
            assertEquals(single.dev(), cluster.dev());
            assertEquals(single.bestStep(), cluster.bestStep());
        }
        // At most once for 16 tasks (none when an earlier test of this class already loaded it: the cache is per JVM).
        int loads = ExecutorModels.loads() - loadsBefore;
        assertTrue(loads <= 1, "the executor loaded the model " + loads + " times for 16 tasks");
    }

    /** Residual Prompt Tuning's MLP trains on the cluster too: every trainable array's gradient is summed in order. */
    @Test
    void theResidualReparameterisationToo() {
        PromptTuneRun single = run(world.spec().name("single-residual").reparam("residual").reparamBottleneck(8)
                .gradientAccumulation(2).build());
        PromptTuneRun cluster = run(world.spec().name("cluster-residual").reparam("residual").reparamBottleneck(8)
                .gradientAccumulation(1).cluster("local[2]").build());
        TinyRuns.assertSameBits(single.prompt(), cluster.prompt(), "projected prompt");
        assertEquals(single.losses(), cluster.losses());
    }

    /**
     * {@code loss 'classes'} on the cluster: the executors score every class of their rows as one process does, and
     * the losses show the classes loss was used (not the sequence loss of the same rows).
     */
    @Test
    void theClassesLossToo() {
        PromptTuneRun single = run(world.spec().name("single-classes").loss("classes").gradientAccumulation(2).build());
        PromptTuneRun cluster = run(world.spec().name("cluster-classes").loss("classes").gradientAccumulation(1)
                .cluster("local[2]").build());
        TinyRuns.assertSameBits(single.prompt(), cluster.prompt(), "prompt");
        assertEquals(single.losses(), cluster.losses());
        PromptTuneRun sequence = run(world.spec().name("single-sequence").gradientAccumulation(2).build());
        assertFalse(sequence.losses().get(0).equals(single.losses().get(0)), "the first step's loss: " + single.losses());
    }

    /** An epoch on W workers takes 1/W of the steps: each step sees W × gradientAccumulation micro-batches. */
    @Test
    void epochsCountTheWorkers() {
        PromptTuneSpec single = world.spec().epochs(1).build();
        PromptTuneSpec cluster = world.spec().epochs(1).cluster("local[2]").build();
        assertEquals(16, ExperimentContext.of(session, single).trainingSettings().steps(), "64 rows, batch 4");
        assertEquals(8, ExperimentContext.of(session, cluster).trainingSettings().steps(), "64 rows, batch 4, 2 workers");
    }

    /** The comparison above can fail: one process with the same accumulation as each worker trains another prompt. */
    @Test
    void theWorkersStepsAreNotASingleWorkersSteps() {
        PromptTuneRun single = run(world.spec().name("single-1").gradientAccumulation(1).build());
        PromptTuneRun cluster = run(world.spec().name("cluster-1").gradientAccumulation(1).cluster("local[2]").build());
        assertFalse(Arrays.equals(single.prompt(), cluster.prompt()));
    }
}
