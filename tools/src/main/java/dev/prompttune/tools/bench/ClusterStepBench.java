package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.prompttune.core.model.EngineThreads;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.run.ClusterBackends;
import dev.prompttune.core.run.ClusterTraining;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.train.StepGradients;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.TrainingLoss;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code bench --mode prompt --cluster MASTER}: the prompt-tuning step at the benchmark shape in one process and on
 * the cluster, side by side (alternating steps, so both see the same machine load). Each step is the trainer's: the
 * micro-batches' gradients from a {@link StepGradients} (W × gradientAccumulation micro-batches of the shape's batch),
 * then the Adafactor update. The cluster's overhead per step is its step time minus the longest task's compute time
 * (scheduling, broadcast, serialization, collect, the sum on the driver), reported against the single-process step.
 *
 * <p>The random t5-small-shaped model is written to a temporary checkpoint first: executors load models from disk.
 */
final class ClusterStepBench {

    private final BenchShape shape;
    private final ClusterSpec cluster;
    private final int steps;
    private final int warmup;

    ClusterStepBench(BenchShape shape, ClusterSpec cluster, int steps, int warmup) {
        this.shape = shape;
        this.cluster = cluster;
        this.steps = steps;
        this.warmup = warmup;
    }

    JsonObject run() {
        int workers = cluster.workers();
        Path dir = checkpoint(shape);
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(dir, root);
             SoftPrompt prompt = SoftPrompt.of(promptValues(), shape.promptLength(), shape.dModel(), root);
             Optimizer optimizer = Adafactor.paper(0.3f).build(root)) {
            Trainable trainable = Trainable.prompt(prompt, Placement.PREFIX);
            trainable.parameters().forEach(p -> p.setRequiresGradient(true));
            TokenizedTask train = train(workers);
            List<int[]> micro = new ArrayList<>();
            for (int k = 0; k < workers; k++) {
                micro.add(range(k * shape.batch(), shape.batch()));
            }
            StepGradients single = StepGradients.local(model, trainable, train, 42, shape.dropout(), TrainingLoss.SEQUENCE, root);
            StepGradients spark = ClusterBackends.require(cluster).training(new ClusterTraining(cluster, "bench", dir, "fp32",
                    "cpu", EmbeddingFingerprint.of(model.embeddingTable()), trainable, shape.promptLength(), shape.dModel(), 0,
                    Placement.PREFIX, train, 42, shape.dropout(), TrainingLoss.SEQUENCE, 1));
            double[] singleSeconds = new double[steps];
            double[] clusterSeconds = new double[steps];
            double[] computeSeconds = new double[steps];
            try {
                for (int i = -warmup; i < steps; i++) {
                    double s = step(single, trainable, optimizer, micro, i)[0];
                    double[] c = step(spark, trainable, optimizer, micro, i);
                    if (i >= 0) {
                        singleSeconds[i] = s;
                        clusterSeconds[i] = c[0];
                        computeSeconds[i] = c[1];
                    }
                }
            } finally {
                spark.close();
            }
            double[] overhead = new double[steps];
            for (int i = 0; i < steps; i++) {
                overhead[i] = clusterSeconds[i] - computeSeconds[i];
            }
            JsonObject r = new JsonObject();
            r.addProperty("mode", "prompt");
            r.addProperty("cluster", cluster.master());
            r.addProperty("workers", workers);
            r.addProperty("micro_batches_per_step", workers);
            r.addProperty("single_step_median_s", round(median(singleSeconds)));
            r.addProperty("cluster_step_median_s", round(median(clusterSeconds)));
            r.addProperty("cluster_task_compute_median_s", round(median(computeSeconds)));
            r.addProperty("cluster_overhead_median_s", round(median(overhead)));
            r.addProperty("cluster_overhead_pct_of_single_step", Math.round(1000 * median(overhead) / median(singleSeconds)) / 10.0);
            r.addProperty("steps", steps);
            r.addProperty("warmup", warmup);
            r.addProperty("threads", EngineThreads.intraOp());
            r.add("shape", shape.toJson());
            return r;
        } finally {
            delete(dir);
        }
    }

    /** One trainer step: gradients, update, zeroed gradients; returns [seconds, the source's compute seconds]. */
    private static double[] step(StepGradients source, Trainable trainable, Optimizer optimizer, List<int[]> micro, int i) {
        long start = System.nanoTime();
        StepGradients.Step s = source.compute(Math.max(i, 0), micro);
        optimizer.step(trainable.parameters(), s.gradients());
        s.gradients().forEach(NDArray::close);
        Optimizer.zeroGradients(trainable.parameters());
        return new double[] {(System.nanoTime() - start) / 1e9, s.computeSeconds()};
    }

    /** The shape's random model (seed 42) as a checkpoint in a new temporary directory: executors load from disk. */
    static Path checkpoint(BenchShape shape) {
        try {
            Path dir = Files.createTempDirectory("prompttune-bench-model");
            try (NDManager m = NDManager.newBaseManager(); T5Model model = T5Model.random(shape.config(), m, 42)) {
                T5CheckpointWriter.save(model, dir, "F32");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** W batches of random rows at the shape (encoder length, label length). */
    private TokenizedTask train(int workers) {
        Random random = new Random(7);
        int n = shape.batch() * workers;
        long[][] inputs = new long[n][shape.encoderLength()];
        long[][] targets = new long[n][shape.labelLength()];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < shape.encoderLength(); t++) {
                inputs[i][t] = 3 + random.nextInt(shape.vocab() - 3);
            }
            for (int t = 0; t < shape.labelLength(); t++) {
                targets[i][t] = 3 + random.nextInt(shape.vocab() - 3);
            }
        }
        return new TokenizedTask("bench", inputs, targets, null, null);
    }

    private float[] promptValues() {
        Random random = new Random(1);
        float[] v = new float[shape.promptLength() * shape.dModel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() - 0.5f;
        }
        return v;
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> from + i);
        return r;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double round(double s) {
        return Math.round(s * 1e4) / 1e4;
    }

    static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
