package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.MixedScoring;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.testing.TinyWorld;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tasks' prompts scored in one pass over mixed rows on local[2] (mapPartitions, model once per executor, rows
 * sorted by length in each partition, mixed-task batches through the prompt bank) equal the single-process scores,
 * bit for bit.
 */
class DistributedScoringTest extends LocalClusterTest {

    /** Two tasks on one model: the marker task, and the same texts under another template and other label words. */
    static PromptTuneRun markers;
    static PromptTuneRun other;

    @BeforeAll
    static void start() throws Exception {
        markers = new PromptTuning(session).execute(world.spec().name("markers").steps(1).evalBatch(3).build(), List.of());
        other = new PromptTuning(session).execute(world.spec().name("other").template("topic: {text}")
                .labels(Map.of("a", "yes", "b", "no")).length(6).steps(1).seed(8).evalBatch(3).build(), List.of());
    }

    @Test
    void mixedRowsScoreTheSameOnTheCluster() {
        List<PromptTuneRun> runs = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        List<String> texts = texts();
        for (int i = 0; i < texts.size(); i++) {
            runs.add(i % 3 == 0 ? other : markers);
            examples.add(new Example(Map.of("text", texts.get(i), "label", "a"), "mixed", i + 1));
        }
        float[][] single = MixedScoring.score(session, runs, contexts(runs), examples);
        int loads = ExecutorModels.loads();
        float[][] cluster = MixedScoring.score(session, runs, contexts(runs), examples, ClusterSpec.of("local[2]"));
        assertEquals(1, ExecutorModels.loads() - loads, "one model load for 6 batches in 2 partitions");
        assertEquals(single.length, cluster.length);
        for (int i = 0; i < single.length; i++) {
            TinyRuns.assertSameBits(single[i], cluster[i], "row " + i);
        }
        assertTrue(!java.util.Arrays.equals(single[0], single[1]), "the rows' scores differ (the test can fail)");
    }

    /**
     * A Spark Dataset with a task column (and the templates' field) scores each row under its task's prompt on the
     * Dataset's cluster, and its scores and predictions equal single-process scoring of the same rows, bit for bit.
     */
    @Test
    void aDatasetWithATaskColumnScoresAsOneProcess() {
        SparkSession spark = SparkSession.builder().sparkContext(SparkContexts.get(ClusterSpec.of("local[2]")).sc())
                .getOrCreate();
        List<String> texts = texts();
        List<Row> data = new ArrayList<>();
        List<PromptTuneRun> runs = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            boolean isOther = i % 3 == 0;
            data.add(RowFactory.create(isOther ? "topics" : "markers", texts.get(i), i));
            runs.add(isOther ? other : markers);
            examples.add(new Example(Map.of("text", texts.get(i)), "single", i + 1));
        }
        StructType schema = new StructType().add("task", DataTypes.StringType).add("text", DataTypes.StringType)
                .add("id", DataTypes.IntegerType);
        Dataset<Row> rows = spark.createDataFrame(data, schema).repartition(3);
        List<Integer> order = rows.collectAsList().stream().map(r -> r.getInt(2)).toList(); // the Dataset's row order
        Dataset<Row> scored = DatasetScoring.score(session, rows, "task", Map.of("markers", markers, "topics", other));

        List<Row> out = scored.collectAsList();
        float[][] single = MixedScoring.score(session, order.stream().map(runs::get).toList(), contexts(runs),
                order.stream().map(examples::get).toList());
        int[] predicted = RankClassifier.argmax(single);
        assertEquals(texts.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            List<Float> scores = out.get(i).getList(out.get(i).fieldIndex(DatasetScoring.SCORES));
            float[] values = new float[scores.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = scores.get(c);
            }
            TinyRuns.assertSameBits(single[i], values, "row " + i);
            PromptTuneRun run = out.get(i).getString(0).equals("topics") ? other : markers;
            assertEquals(ExperimentContext.of(session, run.spec()).data().verbalizer().labels().get(predicted[i]),
                    out.get(i).getString(out.get(i).fieldIndex(DatasetScoring.PREDICTION)));
        }
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> DatasetScoring.score(session, rows, "task", Map.of("markers", markers)));
        assertTrue(e.getMessage().startsWith("task column 'task' is 'topics' in row "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; allowed: [markers]"), e.getMessage());
    }

    /** 17 texts of 1-9 words, each with the marker "city". */
    private static List<String> texts() {
        SplittableRandom random = new SplittableRandom(3);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            StringBuilder text = new StringBuilder("city");
            for (int w = random.nextInt(9); w > 0; w--) {
                text.append(' ').append(TinyWorld.FILLER.get(random.nextInt(TinyWorld.FILLER.size())));
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static Map<PromptTuneRun, ExperimentContext> contexts(List<PromptTuneRun> runs) {
        Map<PromptTuneRun, ExperimentContext> contexts = new IdentityHashMap<>();
        runs.forEach(r -> contexts.computeIfAbsent(r, x -> ExperimentContext.of(session, x.spec())));
        return contexts;
    }
}
