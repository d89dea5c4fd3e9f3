package dev.prompttune.spark;

import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.run.ClusterScoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Mixed-task scoring on Spark, one job: the caller's batches (longest inputs first, as a single process batches them)
 * go to the partitions in runs of consecutive batches ({@code mapPartitions}), so each partition's rows are sorted by
 * length, each executor loads the model once, and every batch is scored exactly as in one process.
 */
final class SparkScoring {

    private SparkScoring() {}

    static float[][] score(JavaSparkContext sc, ClusterScoring scoring, List<PromptBank.Row> rows, List<int[]> batches) {
        List<ScoringBatch> work = new ArrayList<>();
        for (int[] b : batches) {
            String[] prompts = new String[b.length];
            long[][] inputs = new long[b.length][];
            long[][][] targets = new long[b.length][][];
            for (int i = 0; i < b.length; i++) {
                PromptBank.Row r = rows.get(b[i]);
                prompts[i] = r.prompt();
                inputs[i] = r.input();
                targets[i] = r.classTargets();
            }
            work.add(new ScoringBatch(b, prompts, inputs, targets));
        }
        float[][] out = new float[rows.size()][];
        if (work.isEmpty()) {
            return out;
        }
        Broadcast<ScoringJob> job = sc.broadcast(ScoringJob.of(scoring));
        try {
            sc.setJobDescription("prompttune " + scoring.name() + ": " + rows.size() + " rows");
            int partitions = Math.min(scoring.cluster().workers(), work.size());
            for (ScoredRow r : sc.parallelize(work, partitions).mapPartitions(new ScoringTask(job)).collect()) {
                out[r.row()] = r.scores();
            }
        } finally {
            job.destroy();
        }
        return out;
    }
}
