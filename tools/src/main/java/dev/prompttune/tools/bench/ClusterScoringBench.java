package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.eval.LengthBatches;
import dev.prompttune.core.model.EngineThreads;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.run.ClusterBackends;
import dev.prompttune.core.run.ClusterScoring;
import dev.prompttune.core.spec.ClusterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code bench --mode score --cluster MASTER…}: mixed-prompt scoring throughput (rows/s) at the benchmark shape in one
 * process and on each master given (e.g. local[1] and local[2]: throughput against executor count), in one JSON line.
 * A call scores 8 batches of the shape's batch, each row under one of 8 prompts, two classes per row, as
 * {@code predictMixed} scores them: through a {@link PromptBank} here, through the cluster backend's
 * {@code mapPartitions} there (the model loaded once per executor, in the untimed warm-up).
 */
final class ClusterScoringBench {

    private static final int PROMPTS = 8;
    private static final int BATCHES = 8;

    private final BenchShape shape;
    private final List<ClusterSpec> clusters;
    private final int steps;
    private final int warmup;

    ClusterScoringBench(BenchShape shape, List<ClusterSpec> clusters, int steps, int warmup) {
        this.shape = shape;
        this.clusters = clusters;
        this.steps = steps;
        this.warmup = warmup;
    }

    JsonObject run() {
        Path dir = ClusterStepBench.checkpoint(shape);
        try (NDManager root = NDManager.newBaseManager(); T5Model model = T5Model.load(dir, root)) {
            Map<String, float[]> prompts = prompts();
            List<PromptBank.Row> rows = rows();
            List<int[]> batches = LengthBatches.of(rows.stream().map(PromptBank.Row::input).toArray(long[][]::new),
                    shape.batch());
            Map<String, Double> seconds = new LinkedHashMap<>();
            PromptBank bank = new PromptBank(model, Placement.PREFIX);
            prompts.forEach((name, values) -> bank.put(name, SoftPrompt.of(values, shape.promptLength(), shape.dModel(), root)));
            seconds.put("single", time(() -> batches.forEach(b -> bank.score(Arrays.stream(b).mapToObj(rows::get).toList()))));
            String fingerprint = EmbeddingFingerprint.of(model.embeddingTable());
            for (ClusterSpec cluster : clusters) {
                ClusterScoring scoring = new ClusterScoring(cluster, "bench", dir, "fp32", "cpu", fingerprint,
                        Placement.PREFIX, prompts, shape.dModel());
                seconds.put(cluster.master(), time(() -> ClusterBackends.require(cluster).scoreMixed(scoring, rows, batches)));
            }
            JsonObject rowsPerSecond = new JsonObject();
            JsonObject callSeconds = new JsonObject();
            seconds.forEach((where, s) -> {
                rowsPerSecond.addProperty(where, Math.round(10 * rows.size() / s) / 10.0);
                callSeconds.addProperty(where, ClusterStepBench.round(s));
            });
            JsonObject r = new JsonObject();
            r.addProperty("mode", "score");
            r.add("rows_per_s", rowsPerSecond);
            r.add("call_median_s", callSeconds);
            r.addProperty("rows_per_call", rows.size());
            r.addProperty("prompts", PROMPTS);
            r.addProperty("steps", steps);
            r.addProperty("warmup", warmup);
            r.addProperty("threads", EngineThreads.intraOp());
            r.add("shape", shape.toJson());
            return r;
        } finally {
            ClusterStepBench.delete(dir);
        }
    }

    /** The median seconds of {@code steps} calls after {@code warmup} untimed ones. */
    private double time(Runnable call) {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            call.run();
            s[i] = (System.nanoTime() - start) / 1e9;
        }
        return ClusterStepBench.median(s);
    }

    private Map<String, float[]> prompts() {
        Random random = new Random(1);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int p = 0; p < PROMPTS; p++) {
            float[] v = new float[shape.promptLength() * shape.dModel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextFloat() - 0.5f;
            }
            out.put("p" + p, v);
        }
        return out;
    }

    /** Rows of random ids at the shape's encoder length, row r under prompt r mod 8, two random label sequences. */
    private List<PromptBank.Row> rows() {
        Random random = new Random(7);
        List<PromptBank.Row> rows = new ArrayList<>();
        for (int r = 0; r < BATCHES * shape.batch(); r++) {
            long[] input = ids(random, shape.encoderLength());
            long[][] classes = {ids(random, shape.labelLength()), ids(random, shape.labelLength())};
            rows.add(new PromptBank.Row("p" + (r % PROMPTS), input, classes));
        }
        return rows;
    }

    private long[] ids(Random random, int n) {
        long[] ids = new long[n];
        for (int t = 0; t < n; t++) {
            ids[t] = 3 + random.nextInt(shape.vocab() - 3);
        }
        return ids;
    }
}
