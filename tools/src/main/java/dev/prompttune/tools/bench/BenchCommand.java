package dev.prompttune.tools.bench;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.EngineSetup;
import dev.prompttune.core.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prompttune bench} (and {@code prompttune-tools bench}): one JSON line per mode with median/min/max seconds and peak RSS. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Times the hot paths of prompt tuning on a t5-small-shaped model with random weights.",
            "The model: d_model 512, 6+6 layers, 8 heads, vocab 32128, gated-GELU, untied head, dropout 0.1; batch 8, "
                + "encoder length 128, label length 4, 20-token prompt. Prints one JSON line per mode (median/min/max "
                + "seconds, peak RSS of the mode, parameters).",
            "Modes: forward and infer (inference: encoder, decoder, loss), infer_prompt (one soft prompt prepended), "
                + "infer_mixed8 (8 different prompts, one per row), prompt_backward (dL/dprompt, no optimizer), classes5_backward "
                + "and classes5_backward_repeated (the same for loss 'classes' over 5 classes, each encoding read once per "
                + "row or repeated per class), prompt "
                + "(prompt-tuning step: training forward, backward to the prompt, Adafactor update), full (model-tuning "
                + "step: every weight trained with Adafactor).",
            "--cluster MASTER (with --mode prompt): the prompt step in one process and on Spark, side by side. "
                + "--mode score --cluster MASTER... (e.g. local[1] and local[2]): mixed-prompt scoring rows/s in one "
                + "process and on each master, side by side."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--mode", paramLabel = "NAME", description = "run only this mode (repeatable)")
    List<String> modes = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "timed steps per mode (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "untimed warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "PyTorch threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--cluster", paramLabel = "MASTER", description = {
        "with --mode prompt: the step in one process and on this Spark master (e.g. local[2]) side by side, and the",
        "cluster's overhead per step (its step time minus its longest task's compute time); with --mode score",
        "(repeatable): scoring rows/s on each master beside one process; needs the spark module"})
    List<String> clusters = new ArrayList<>();

    @Option(names = "--tiny", hidden = true, description = "the tests' tiny shape instead of t5-small's")
    boolean tiny;

    @Override
    public Integer call() {
        EngineSetup.threads(threads);
        BenchShape shape = tiny ? BenchShape.tiny() : BenchShape.t5Small();
        if (!clusters.isEmpty()) {
            List<ClusterSpec> specs = clusters.stream().map(ClusterSpec::of).toList();
            if (modes.equals(List.of("score"))) {
                System.out.println(new ClusterScoringBench(shape, specs, steps, warmup).run());
            } else if (modes.equals(List.of("prompt")) && specs.size() == 1) {
                System.out.println(new ClusterStepBench(shape, specs.get(0), steps, warmup).run());
            } else {
                throw new PromptTuneException("bench --cluster " + String.join(" --cluster ", clusters) + " with modes "
                        + modes + "; allowed: --mode prompt with one --cluster, or --mode score with one or more");
            }
            return 0;
        }
        if (modes.contains("score")) {
            // A mode of its own: scoring throughput against executor counts, which needs at least one cluster.
            throw new PromptTuneException("bench --mode score compares scoring on clusters and needs at least one --cluster "
                    + "MASTER (e.g. --cluster local[1] --cluster local[2]); allowed without --cluster: --mode "
                    + String.join(", ", Benchmark.modes()));
        }
        new Benchmark(shape, steps, warmup, System.out).run(modes);
        return 0;
    }
}
