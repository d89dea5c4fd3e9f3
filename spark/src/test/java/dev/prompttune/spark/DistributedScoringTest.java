package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.data.Example;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.MixedScoring;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tasks' prompts scored in one pass over mixed rows on local[2] (mapPartitions, model once per executor, rows
 * sorted by length in each partition, mixed-task batches through the prompt bank) equal the single-process scores,
 * bit for bit.
 */
class DistributedScoringTest {

    @TempDir
    static Path tmp;
    static Session session;

    @BeforeAll
    static void start() {
        session = new Session();
    }

    @AfterAll
    static void stop() {
        session.close();
        SparkContexts.stop();
    }

    @Test
    void mixedRowsScoreTheSameOnTheCluster() throws Exception {
        TinyRuns world = new TinyRuns(tmp);
        // Two tasks on one model: the marker task, and the same texts under another template and other label words.
        PromptTuneRun markers = new PromptTuning(session).execute(world.spec().name("markers").steps(1).evalBatch(3).build(),
                List.of());
        PromptTuneRun other = new PromptTuning(session).execute(world.spec().name("other").template("topic: {text}")
                .labels(Map.of("a", "yes", "b", "no")).length(6).steps(1).seed(8).evalBatch(3).build(), List.of());
        List<PromptTuneRun> runs = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 17; i++) {
            runs.add(i % 3 == 0 ? other : markers);
            StringBuilder text = new StringBuilder("city");
            for (int w = random.nextInt(9); w > 0; w--) {
                text.append(' ').append(TinyWorld.FILLER.get(random.nextInt(TinyWorld.FILLER.size())));
            }
            examples.add(new Example(Map.of("text", text.toString(), "label", "a"), "mixed", i + 1));
        }
        Map<PromptTuneRun, ExperimentContext> contexts = new IdentityHashMap<>();
        runs.forEach(r -> contexts.computeIfAbsent(r, x -> ExperimentContext.of(session, x.spec())));

        float[][] single = MixedScoring.score(session, runs, contexts, examples);
        int loads = ExecutorModels.loads();
        float[][] cluster = MixedScoring.score(session, runs, contexts, examples, ClusterSpec.of("local[2]"));
        assertEquals(1, ExecutorModels.loads() - loads, "one model load for 6 batches in 2 partitions");
        assertEquals(single.length, cluster.length);
        for (int i = 0; i < single.length; i++) {
            TinyRuns.assertSameBits(single[i], cluster[i], "row " + i);
        }
        assertTrue(!java.util.Arrays.equals(single[0], single[1]), "the rows' scores differ (the test can fail)");
    }
}
