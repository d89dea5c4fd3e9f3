package dev.prompttune.core.eval;

import dev.prompttune.core.EnumKeys;
import java.util.List;

/**
 * A task's metric, by its name in specs, task.json and run records ({@link #key()}). The one place that turns
 * gold and predicted classes into the number a run, a baseline or a dev evaluation reports.
 */
public enum Metric {
    ACCURACY("accuracy"),
    MACRO_F1("macro_f1");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The name in specs, task.json and records. */
    public String key() {
        return key;
    }

    /** Every name, in declaration order (what an error message lists as allowed). */
    public static List<String> keys() {
        return EnumKeys.keys(values(), Metric::key);
    }

    /** The metric named {@code key}; a clear error naming the allowed ones otherwise. */
    public static Metric of(String key) {
        return EnumKeys.of(values(), Metric::key, "metric", key);
    }

    /**
     * The metric of {@code predicted} against {@code gold} (class indices [N]) over {@code classes} classes.
     */
    public double score(int[] gold, int[] predicted, int classes) {
        return this == MACRO_F1 ? Metrics.macroF1(gold, predicted, classes) : Metrics.accuracy(gold, predicted);
    }
}
