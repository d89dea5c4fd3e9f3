package dev.prompttune.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code prompttune bench}: times the model's hot paths on random weights and prints one JSON line per mode.
 *
 * <ul>
 *   <li>{@code forward}: encoder + teacher-forced decoder + loss, inference mode (no graph, no dropout).</li>
 *   <li>{@code prompt_backward}: the same with a 20-token soft prompt prepended, in training mode (dropout on),
 *       and the gradient of the loss with respect to the prompt alone (weights frozen).</li>
 * </ul>
 * Warm-up steps are excluded; each mode's peak RSS is measured from a reset peak.
 */
public final class Benchmark {

    /** A timed step; arrays it makes live in the given per-step manager. */
    interface Step {
        void run(NDManager stepManager);
    }

    private final BenchShape shape;
    private final int steps;
    private final int warmup;
    private final PrintStream out;

    public Benchmark(BenchShape shape, int steps, int warmup, PrintStream out) {
        if (steps < 1 || warmup < 0) {
            throw new PromptTuneException("bench: --steps must be >= 1 and --warmup >= 0, got steps " + steps + ", warmup " + warmup);
        }
        this.shape = shape;
        this.steps = steps;
        this.warmup = warmup;
        this.out = out;
    }

    /** Every mode this benchmark knows, in the order they run by default. */
    public static List<String> modes() {
        return List.of("forward", "prompt_backward");
    }

    /** Runs the named modes (all when empty); returns one JSON object per mode, also printed. */
    public List<JsonObject> run(List<String> requested) {
        List<String> modes = requested.isEmpty() ? modes() : requested;
        for (String m : modes) {
            if (!modes().contains(m)) {
                throw new PromptTuneException("bench: unknown mode '" + m + "'; modes: " + String.join(", ", modes()));
            }
        }
        List<JsonObject> results = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.random(shape.config(), root, 42)) {
            Batch batch = Batch.random(root, shape, 7);
            Map<String, Step> table = new LinkedHashMap<>();
            table.put("forward", m -> forward(model, batch, m));
            table.put("prompt_backward", m -> promptBackward(model, batch, m));
            for (String mode : modes) {
                JsonObject r = measure(mode, table.get(mode), root);
                r.addProperty("params_total", model.parameterCount());
                if (mode.equals("prompt_backward")) {
                    r.addProperty("params_trainable", (long) shape.promptLength() * shape.dModel());
                }
                out.println(r);
                out.flush();
                results.add(r);
            }
        }
        return results;
    }

    private JsonObject measure(String mode, Step step, NDManager root) {
        for (int i = 0; i < warmup; i++) {
            try (NDManager m = root.newSubManager()) {
                step.run(m);
            }
        }
        ProcessMemory.resetPeak();
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            try (NDManager m = root.newSubManager()) {
                step.run(m);
            }
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        JsonObject r = new JsonObject();
        r.addProperty("mode", mode);
        r.addProperty("median_s", round(median));
        r.addProperty("min_s", round(sorted[0]));
        r.addProperty("max_s", round(sorted[sorted.length - 1]));
        r.addProperty("steps", steps);
        r.addProperty("warmup", warmup);
        r.addProperty("peak_rss_mib", ProcessMemory.peakRssMib());
        r.addProperty("threads", threads());
        r.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        r.add("shape", shape.toJson());
        return r;
    }

    // Every op's result belongs to the manager of its first input, so each step works on copies of the batch in
    // its own manager: closing that manager frees every intermediate, and memory stays flat across steps.

    private static void forward(T5Model model, Batch fixed, NDManager m) {
        Batch batch = fixed.copyTo(m);
        NDArray encoded = model.encode(model.embed(batch.inputIds), batch.mask, false);
        NDArray logits = model.logits(model.decode(batch.decoderInput, encoded, batch.mask, false));
        T5Model.loss(logits, batch.labels).getFloat();
    }

    private void promptBackward(T5Model model, Batch fixed, NDManager m) {
        Batch batch = fixed.copyTo(m);
        NDArray prompt = batch.prompt;
        prompt.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray tokens = model.embed(batch.inputIds);
            NDArray batchPrompt = prompt.expandDims(0).repeat(0, shape.batch());
            NDArray embeddings = NDArrays.concat(new NDList(batchPrompt, tokens), 1);
            NDArray mask = m.ones(new Shape(shape.batch(), shape.promptLength()), DataType.INT64).concat(batch.mask, 1);
            NDArray encoded = model.encode(embeddings, mask, true);
            NDArray logits = model.logits(model.decode(batch.decoderInput, encoded, mask, true));
            NDArray loss = T5Model.loss(logits, batch.labels);
            collector.backward(loss);
        }
        prompt.getGradient().getFloat(0, 0);
    }

    private static int threads() {
        String configured = System.getProperty("ai.djl.pytorch.num_threads");
        return configured != null ? Integer.parseInt(configured) : Runtime.getRuntime().availableProcessors();
    }

    private static double round(double s) {
        return Math.round(s * 1e4) / 1e4;
    }

    /** A fixed random batch: ids, mask (full), labels and decoder inputs, and a prompt. */
    record Batch(NDArray inputIds, NDArray mask, NDArray labels, NDArray decoderInput, NDArray prompt) {
        Batch copyTo(NDManager m) {
            return new Batch(copy(inputIds, m), copy(mask, m), copy(labels, m), copy(decoderInput, m), copy(prompt, m));
        }

        private static NDArray copy(NDArray a, NDManager m) {
            NDArray c = a.duplicate();
            c.attach(m);
            return c;
        }

        static Batch random(NDManager manager, BenchShape s, long seed) {
            Random random = new Random(seed);
            long[] ids = new long[s.batch() * s.encoderLength()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 3 + random.nextInt(s.vocab() - 3);
            }
            long[] labels = new long[s.batch() * s.labelLength()];
            long[] decoderInput = new long[labels.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = 3 + random.nextInt(s.vocab() - 3);
                decoderInput[i] = i % s.labelLength() == 0 ? 0 : labels[i - 1];
            }
            float[] prompt = new float[s.promptLength() * s.dModel()];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = random.nextFloat() - 0.5f;
            }
            return new Batch(
                    manager.create(ids, new Shape(s.batch(), s.encoderLength())),
                    manager.ones(new Shape(s.batch(), s.encoderLength()), DataType.INT64),
                    manager.create(labels, new Shape(s.batch(), s.labelLength())),
                    manager.create(decoderInput, new Shape(s.batch(), s.labelLength())),
                    manager.create(prompt, new Shape(s.promptLength(), s.dModel())));
        }
    }
}
