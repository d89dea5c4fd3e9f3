package dev.prompttune.spark;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.MixedScoring;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Mixed-task scoring of a Spark {@code Dataset<Row>}: each row names its task in a task column (a key of the runs
 * given) and holds its template's fields in the other columns; every row is scored under its task's prompt, template
 * and labels ({@link MixedScoring}), the batches on the Dataset's own cluster ({@code mapPartitions}: the model once per
 * executor, mixed-task batches through the prompt bank). The scores equal single-process scoring of the same rows in
 * the same order, bit for bit.
 *
 * <p>The rows pass through the driver: it tokenizes them with each task's template and batches them by length as one
 * process does, which is what makes the scores identical (padding changes float32 rounding); the executors do the
 * model's work. So the Dataset must fit in the driver's memory.
 */
public final class DatasetScoring {

    /** The column added with each row's predicted label (its task's label names). */
    public static final String PREDICTION = "prediction";
    /** The column added with each row's class scores, in its task's label order (calibrated when its run is). */
    public static final String SCORES = "scores";

    private DatasetScoring() {}

    /**
     * {@code rows} with {@value #PREDICTION} and {@value #SCORES} columns added, in the same order.
     *
     * @param taskColumn the column naming each row's task: a key of {@code runs}
     * @param runs the tasks' runs by name (one frozen model and one placement for all)
     */
    public static Dataset<Row> score(Session session, Dataset<Row> rows, String taskColumn, Map<String, PromptTuneRun> runs) {
        StructType schema = rows.schema();
        int taskIndex = List.of(schema.fieldNames()).indexOf(taskColumn);
        if (taskIndex < 0) {
            throw new PromptTuneException("task column '" + taskColumn + "' is not in the dataset; allowed: one of "
                    + List.of(schema.fieldNames()));
        }
        List<Row> collected = rows.collectAsList();
        List<PromptTuneRun> rowRuns = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < collected.size(); i++) {
            Row row = collected.get(i);
            String task = String.valueOf(row.get(taskIndex));
            PromptTuneRun run = runs.get(task);
            if (run == null) {
                throw new PromptTuneException("task column '" + taskColumn + "' is '" + task + "' in row " + (i + 1)
                        + "; allowed: " + runs.keySet());
            }
            rowRuns.add(run);
            examples.add(new Example(fields(row, schema, taskIndex), "dataset", i + 1));
        }
        if (collected.isEmpty()) {
            return rows.sparkSession().createDataFrame(List.of(), withResults(schema));
        }
        Map<PromptTuneRun, ExperimentContext> contexts = new IdentityHashMap<>();
        rowRuns.forEach(r -> contexts.computeIfAbsent(r, x -> ExperimentContext.toPredict(session, x.spec())));
        float[][] scores = MixedScoring.score(session, rowRuns, contexts, examples,
                SparkContexts.specOf(rows.sparkSession().sparkContext()));
        int[] predicted = RankClassifier.argmax(scores);
        List<Row> out = new ArrayList<>(collected.size());
        for (int i = 0; i < collected.size(); i++) {
            List<String> labels = contexts.get(rowRuns.get(i)).data().verbalizer().labels();
            Object[] values = new Object[schema.size() + 2];
            for (int c = 0; c < schema.size(); c++) {
                values[c] = collected.get(i).get(c);
            }
            values[schema.size()] = labels.get(predicted[i]);
            Float[] boxed = new Float[scores[i].length];
            for (int c = 0; c < boxed.length; c++) {
                boxed[c] = scores[i][c];
            }
            values[schema.size() + 1] = boxed;
            out.add(RowFactory.create(values));
        }
        return rows.sparkSession().createDataFrame(out, withResults(schema));
    }

    /** The row's non-null columns but the task's, as the template's fields (their string values). */
    private static Map<String, String> fields(Row row, StructType schema, int taskIndex) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int c = 0; c < schema.size(); c++) {
            if (c != taskIndex && !row.isNullAt(c)) {
                fields.put(schema.fieldNames()[c], String.valueOf(row.get(c)));
            }
        }
        return fields;
    }

    private static StructType withResults(StructType schema) {
        return schema.add(PREDICTION, DataTypes.StringType, false)
                .add(SCORES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }
}
