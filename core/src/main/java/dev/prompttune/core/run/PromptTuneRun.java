package dev.prompttune.core.run;

import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One finished run: its spec, the best prompt (values [length, width]), dev and test results, baselines, the
 * loss and dev curves, and where its record is. Returned by {@link PromptTuning#run} and by
 * {@link RunRecord#load}; a notebook or script uses it in the next statement.
 *
 * @param baselines baseline name → test metric (dev when there is no labelled test split)
 * @param predictions test predictions, one per example
 */
public record PromptTuneRun(PromptTuneSpec spec, String id, Path record, String metric, double dev, int bestStep,
                            double test, Map<String, Double> baselines, int steps, double seconds, long peakRssMib,
                            long paramsTrainable, long paramsTotal, String stopReason, float[] prompt, int length,
                            int width, List<Double> losses, List<TrainingListener.EvalEvent> evals,
                            List<Prediction> predictions) {

    /** One test example's outcome. */
    public record Prediction(int index, String input, String gold, String predicted, float[] scores) {}

    public String name() {
        return spec.name();
    }

    /** Trainable parameters as a percentage of the model's. */
    public double trainablePercent() {
        return 100.0 * paramsTrainable / Math.max(1, paramsTotal);
    }

    /** Whether training was stopped by an interrupt (Ctrl-C, a notebook's stop button) before it ended. */
    public boolean interrupted() {
        return "INTERRUPTED".equals(stopReason);
    }

    /** A short table: the run, its baselines, and where it was saved; an interrupted run says so first. */
    public String table() {
        StringBuilder b = new StringBuilder();
        if (interrupted()) {
            b.append(String.format(Locale.ROOT, "INTERRUPTED after %d steps: the scores are those of the best prompt so far%n", steps));
        }
        if (spec.fastDevRun()) {
            b.append(FastDevRun.BANNER).append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "run", "metric", "dev", "test"));
        b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "prompt tuning: " + name(), metric, fmt(dev), fmt(test)));
        baselines.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "baseline: " + k, metric, "", fmt(v))));
        b.append(String.format(Locale.ROOT, "steps %d (best at %d, %s), %.1f s, peak RSS %d MiB, trainable %,d of %,d (%.4f%%)%n",
                steps, bestStep, stopReason.toLowerCase(Locale.ROOT), seconds, peakRssMib, paramsTrainable, paramsTotal,
                trainablePercent()));
        if (record != null) {
            b.append("record: ").append(record).append("  prompt: ").append(record.resolve("prompt.safetensors")).append('\n');
        }
        return b.toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    @Override
    public String toString() {
        return table();
    }
}
