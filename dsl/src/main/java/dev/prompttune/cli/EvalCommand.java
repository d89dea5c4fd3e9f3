package dev.prompttune.cli;

import dev.prompttune.core.run.Interrupts;
import dev.prompttune.dsl.Evaluation;
import dev.prompttune.dsl.Experiments;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune eval RECORD_DIR}: re-scores a saved run from its record alone. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Re-scores a run record with its saved prompt.",
            "Scores the prompt of a run record (runs/NAME-TIMESTAMP: spec.json + prompt.safetensors) on the test split "
                + "(dev when there is no labelled test), or on FILE with --data, and prints one line: the metric now and "
                + "the value the run recorded (after a line saying what it scores, unless --quiet).",
            "The prompt must fit the run's model: its width, finite values, and the embedding fingerprint it records "
                + "(--any-model skips only the fingerprint). Exit 0; 2 on bad input; Ctrl-C stops at once (eval writes "
                + "nothing) with 130 (SIGTERM 143)."})
final class EvalCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RECORD_DIR", description = "a run record directory")
    Path record;

    @Option(names = "--data", paramLabel = "FILE", description = "a labelled file to score instead (same template and labels)")
    Path data;

    @Mixin
    TrainingOptions options;

    @Option(names = "--any-model", description = "use the prompt even if it records another model's embedding fingerprint")
    boolean anyModel;

    @Override
    public Integer call() {
        try (Interrupts interrupts = Interrupts.installEndingAtOnce(System.err, "prompttune eval")) {
            Experiments experiments = options.experiments(); // --threads: scoring's last digits depend on the thread count
            var run = experiments.load(record.toString(), anyModel); // the saved prompt is checked against the model here
            if (!options.quiet && (data == null || java.nio.file.Files.isRegularFile(data))) { // else the refusal alone
                // Scoring takes a while on a slow machine (the model loads, then every example is ranked): say what
                // runs, where the progress of run goes.
                System.out.println("prompttune eval: scoring the prompt of " + run.name() + " on "
                        + (data != null ? data : Double.isNaN(run.test()) ? "its dev split" : "its test split") + " ...");
            }
            Evaluation e = data == null ? experiments.evaluate(run, anyModel) : experiments.evaluate(run, data.toString());
            System.out.println(record + ": " + e);
            return 0;
        }
    }
}
