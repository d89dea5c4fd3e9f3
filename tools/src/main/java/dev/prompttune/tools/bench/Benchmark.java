package dev.prompttune.tools.bench;

import dev.prompttune.core.run.ProcessMemory;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code prompttune bench}: times the model's hot paths on random weights and prints one JSON line per mode.
 *
 * <ul>
 *   <li>{@code forward}, {@code infer}: encoder + teacher-forced decoder + loss, inference (no graph, no dropout).</li>
 *   <li>{@code infer_prompt}: the same with one soft prompt prepended to every row ({@code PromptLayout}).</li>
 *   <li>{@code infer_mixed8}: the same with 8 different prompts, row b using prompt b mod 8 (mixed-task batch).</li>
 *   <li>{@code prompt_backward}: a prompt concatenated by hand, training mode, dL/dP only (no optimizer).</li>
 *   <li>{@code prompt}: a full prompt-tuning step: training-mode forward, backward to the prompt, Adafactor update.</li>
 *   <li>{@code full}: a full model-tuning step: every weight trainable, backward to all, Adafactor update of all.</li>
 * </ul>
 *
 * <p>Each mode builds its own model (same seed) and runs its warm-up steps; then the process's peak RSS is reset
 * (after a garbage collection and returning freed native memory to the system), so {@code peak_rss_mib} is the
 * peak while that mode's timed steps ran: its own working set on top of what the process holds anyway (JVM, torch,
 * one model's weights). {@code peak_rss_scope} says "mode", or "process" where the kernel does not allow the reset.
 */
public final class Benchmark {

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
        return List.copyOf(BenchModes.MODES.keySet());
    }

    /** Runs the named modes (all when empty); returns one JSON object per mode, also printed. */
    public List<JsonObject> run(List<String> requested) {
        List<String> modes = requested.isEmpty() ? modes() : requested;
        for (String m : modes) {
            if (!BenchModes.MODES.containsKey(m)) {
                throw new PromptTuneException("bench: unknown mode '" + m + "'; modes: " + String.join(", ", modes()));
            }
        }
        List<JsonObject> results = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager()) {
            BenchBatch batch = BenchBatch.random(root, shape, 7);
            for (String mode : modes) {
                JsonObject r;
                try (NDManager modeManager = root.newSubManager();
                     BenchModes.Run run = BenchModes.MODES.get(mode).apply(
                             new BenchModes.Setup(shape, batch, modeManager))) {
                    r = measure(mode, run, modeManager);
                    r.addProperty("params_trainable", run.trainable());
                    r.addProperty("params_total", run.total());
                }
                out.println(r);
                out.flush();
                results.add(r);
            }
        }
        return results;
    }

    private JsonObject measure(String mode, BenchModes.Run run, NDManager manager) {
        for (int i = 0; i < warmup; i++) {
            try (NDManager m = manager.newSubManager()) {
                run.step(m);
            }
        }
        System.gc();
        ProcessMemory.trim();
        boolean reset = ProcessMemory.resetPeak();
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            try (NDManager m = manager.newSubManager()) {
                run.step(m);
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
        r.addProperty("peak_rss_scope", reset ? "mode" : "process");
        r.addProperty("threads", dev.prompttune.core.model.EngineThreads.intraOp());
        r.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        r.add("shape", shape.toJson());
        return r;
    }

    private static double round(double s) {
        return Math.round(s * 1e4) / 1e4;
    }
}
