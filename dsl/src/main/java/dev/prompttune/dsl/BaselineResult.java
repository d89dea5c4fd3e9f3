package dev.prompttune.dsl;

import dev.prompttune.core.spec.FastDevRun;
import java.util.Locale;

/**
 * One baseline on its own ({@code baseline('design') { … }}): the frozen model with the template alone
 * ({@code design}), the most frequent training class ({@code majority}), or every weight trained
 * ({@code modelTuning}), scored on test (dev when test has no labels).
 *
 * @param uncalibrated with {@code calibrate true}, the value from uncalibrated scores ({@code value} is calibrated); else NaN
 * @param fastDevRun scored (and for model tuning, trained) under {@link FastDevRun}'s caps
 */
public record BaselineResult(String kind, String task, String model, String metric, String split, double value,
                             double uncalibrated, boolean fastDevRun) {

    public BaselineResult(String kind, String task, String model, String metric, String split, double value) {
        this(kind, task, model, metric, split, value, Double.NaN, false);
    }

    @Override
    public String toString() {
        return (fastDevRun ? FastDevRun.BANNER + "\n" : "")
                + String.format(Locale.ROOT, "baseline %s on %s (%s, %s): %s %.4f", kind, task, model, split, metric, value)
                + (Double.isNaN(uncalibrated) ? "" : String.format(Locale.ROOT, " calibrated (uncalibrated %.4f)", uncalibrated));
    }
}
