package dev.prompttune.core.run;

import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.StopReason;
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
 * @param uncalibrated with {@code calibrate true}: the same results from uncalibrated scores (dev, test and
 *                     baselines above are then calibrated); null otherwise
 */
public record PromptTuneRun(PromptTuneSpec spec, String id, Path record, String metric, double dev, int bestStep,
                            double test, Map<String, Double> baselines, int steps, double seconds, long peakRssMib,
                            long paramsTrainable, long paramsTotal, StopReason stopReason, float[] prompt, int length,
                            int width, List<Double> losses, List<TrainingListener.EvalEvent> evals,
                            List<Prediction> predictions, Uncalibrated uncalibrated) {

    /** A run without calibration. */
    public PromptTuneRun(PromptTuneSpec spec, String id, Path record, String metric, double dev, int bestStep,
                         double test, Map<String, Double> baselines, int steps, double seconds, long peakRssMib,
                         long paramsTrainable, long paramsTotal, StopReason stopReason, float[] prompt, int length,
                         int width, List<Double> losses, List<TrainingListener.EvalEvent> evals,
                         List<Prediction> predictions) {
        this(spec, id, record, metric, dev, bestStep, test, baselines, steps, seconds, peakRssMib, paramsTrainable,
                paramsTotal, stopReason, prompt, length, width, losses, evals, predictions, null);
    }

    /**
     * One test example's outcome; {@code scores} are the class scores the prediction was made from (calibrated
     * log-likelihoods with {@code calibrate true}).
     */
    public record Prediction(int index, String input, String gold, String predicted, float[] scores) {}

    /**
     * A calibrated run's results without calibration, reported beside the calibrated ones.
     *
     * @param dev the best prompt's dev metric from raw scores (NaN without dev)
     * @param test the test metric from raw scores (NaN without a labelled test split)
     * @param baselines baselines that score labels (prompt design, model tuning) from raw scores
     * @param contentFreePrior target text → the tuned prompt's content-free log prior that calibration subtracts
     */
    public record Uncalibrated(double dev, double test, Map<String, Double> baselines, Map<String, Double> contentFreePrior) {}

    public String name() {
        return spec.name();
    }

    /** Trainable parameters as a percentage of the model's. */
    public double trainablePercent() {
        return 100.0 * paramsTrainable / Math.max(1, paramsTotal);
    }

    /** Whether training was stopped by an interrupt (Ctrl-C, a notebook's stop button) before it ended. */
    public boolean interrupted() {
        return stopReason == StopReason.INTERRUPTED;
    }

    /**
     * A short table: the run, its baselines, and where it was saved; an interrupted run and a fast dev run say so
     * first; with {@code calibrate true}, calibrated dev and test beside the uncalibrated ones.
     */
    public String table() {
        StringBuilder b = new StringBuilder();
        if (interrupted()) {
            b.append(String.format(Locale.ROOT, "INTERRUPTED after %d steps: the scores are those of the best prompt so far%n", steps));
        }
        if (spec.fastDevRun()) {
            b.append(FastDevRun.BANNER).append('\n');
        }
        if (uncalibrated == null) {
            // Without a labelled test split the baselines were scored on dev: they go in its column.
            boolean baselinesOnDev = Double.isNaN(test) && !Double.isNaN(dev) && stopReason != StopReason.FAILED;
            b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "run", "metric", "dev", "test"));
            b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "prompt tuning: " + name(), metric, fmt(dev), fmt(test)));
            baselines.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-28s %-10s %8s %8s%n", "baseline: " + k, metric,
                    baselinesOnDev ? fmt(v) : "", baselinesOnDev ? "" : fmt(v))));
            if (baselinesOnDev && !baselines.isEmpty()) {
                b.append("no labelled test split: the baselines are scored on dev\n");
            }
        } else {
            String row = "%-28s %-10s %8s %8s %10s %10s%n";
            b.append(String.format(Locale.ROOT, row, "run", "metric", "dev", "test", "dev uncal", "test uncal"));
            b.append(String.format(Locale.ROOT, row, "prompt tuning: " + name(), metric, fmt(dev), fmt(test),
                    fmt(uncalibrated.dev()), fmt(uncalibrated.test())));
            baselines.forEach((k, v) -> b.append(String.format(Locale.ROOT, row, "baseline: " + k, metric, "", fmt(v), "",
                    uncalibrated.baselines().containsKey(k) ? fmt(uncalibrated.baselines().get(k)) : "")));
            b.append("calibrated ranking: dev and test subtract each label's content-free score (Zhao et al. 2021)\n");
        }
        if (stopReason == StopReason.LOADED) {
            // A prompt file holds no timings or model size: its run's are not known here (they printed "NaN s, peak
            // RSS 0 MiB, trainable 1,280 of 0 (128000%)").
            b.append(String.format(Locale.ROOT, "loaded prompt: %d × %d (%,d values)%s%n", length, width, (long) length * width,
                    bestStep > 0 ? ", the best of its run at step " + bestStep : ""));
        } else {
            b.append(String.format(Locale.ROOT, "steps %d (best at %d, %s), %.1f s, peak RSS %d MiB, trainable %,d of %,d (%.4f%%)%n",
                    steps, bestStep, stopReason.key().toLowerCase(Locale.ROOT), seconds, peakRssMib, paramsTrainable, paramsTotal,
                    trainablePercent()));
        }
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
