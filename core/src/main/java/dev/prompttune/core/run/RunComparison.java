package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several runs side by side: a table (name, init, length, model, best dev, test, steps, time, trainable
 * parameters) and their curves (training loss and dev metric against step) as plain series a chart can draw.
 */
public record RunComparison(List<Row> rows, List<Series> loss, List<Series> dev) {

    /**
     * One run's line of the table.
     *
     * @param testUncalibrated with {@code calibrate true}, test from uncalibrated scores ({@code test} is calibrated); else NaN
     * @param fastDevRun its numbers come from a smoke run ({@link FastDevRun})
     */
    public record Row(String name, String init, int length, String model, String metric, double dev, double test,
                      int steps, double seconds, long paramsTrainable, double testUncalibrated, boolean fastDevRun) {

        /** A row of a full run without calibration. */
        public Row(String name, String init, int length, String model, String metric, double dev, double test,
                   int steps, double seconds, long paramsTrainable) {
            this(name, init, length, model, metric, dev, test, steps, seconds, paramsTrainable, Double.NaN, false);
        }
    }

    /** A named curve: x (steps) and y values. */
    public record Series(String name, double[] x, double[] y) {}

    public static RunComparison of(List<PromptTuneRun> runs) {
        if (runs == null || runs.isEmpty()) {
            throw new PromptTuneException("compare: " + (runs == null ? "the list of runs is null" : "no runs given")
                    + "; allowed: one or more runs");
        }
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i) == null) {
                throw new PromptTuneException("compare: run " + (i + 1) + " of " + runs.size() + " is null; allowed: "
                        + "runs (from promptTune, load or loadPrompt)");
            }
        }
        List<Row> rows = new ArrayList<>();
        List<Series> loss = new ArrayList<>();
        List<Series> dev = new ArrayList<>();
        for (PromptTuneRun r : runs) {
            rows.add(new Row(r.name(), r.spec().init().kind(), r.length(), r.spec().model(), r.metric(), r.dev(), r.test(),
                    r.steps(), r.seconds(), r.paramsTrainable(), r.uncalibrated() == null ? Double.NaN : r.uncalibrated().test(),
                    r.spec().fastDevRun()));
            double[] steps = new double[r.losses().size()];
            double[] losses = new double[steps.length];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = i + 1;
                losses[i] = r.losses().get(i);
            }
            loss.add(new Series(r.name(), steps, losses));
            List<TrainingListener.EvalEvent> evals = r.evals();
            double[] ex = new double[evals.size()];
            double[] ey = new double[evals.size()];
            for (int i = 0; i < ex.length; i++) {
                ex[i] = evals.get(i).step();
                ey[i] = evals.get(i).value();
            }
            dev.add(new Series(r.name(), ex, ey));
        }
        return new RunComparison(rows, loss, dev);
    }

    public static RunComparison of(PromptTuneRun... runs) {
        return of(runs == null ? null : java.util.Arrays.asList(runs));
    }

    /**
     * The table as aligned text (after {@link FastDevRun#BANNER} when any run is a fast dev run); a "test uncal"
     * column when a run calibrated its ranking.
     */
    public String table() {
        boolean calibrated = rows.stream().anyMatch(r -> !Double.isNaN(r.testUncalibrated()));
        // Runs scored by different metrics: each row says its own (an accuracy beside a macro-F1 read as one scale).
        boolean metrics = rows.stream().map(Row::metric).distinct().count() > 1;
        int modelWidth = Math.max(12, rows.stream().mapToInt(r -> shortModel(r.model()).length()).max().orElse(0));
        String head = "%-24s %-7s %6s %-" + modelWidth + "s" + (metrics ? " %-8s" : "%s") + " %8s %8s %7s %8s %10s";
        String line = "%-24s %-7s %6d %-" + modelWidth + "s" + (metrics ? " %-8s" : "%s") + " %8s %8s %7d %8s %,10d";
        StringBuilder b = new StringBuilder(rows.stream().anyMatch(Row::fastDevRun) ? FastDevRun.BANNER + "\n" : "");
        b.append(String.format(Locale.ROOT, head, "name", "init", "length", "model", metrics ? "metric" : "", "dev", "test",
                "steps", "time s", "trainable"));
        b.append(calibrated ? String.format(Locale.ROOT, " %10s%n", "test uncal") : System.lineSeparator());
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, line, r.name(), r.init(), r.length(), shortModel(r.model()),
                    metrics ? r.metric() : "", PromptTuneRun.fmt(r.dev()), PromptTuneRun.fmt(r.test()), r.steps(),
                    // A loaded prompt file has no time: "-" as for a missing score (it printed NaN).
                    Double.isNaN(r.seconds()) ? "-" : String.format(Locale.ROOT, "%.1f", r.seconds()), r.paramsTrainable()));
            b.append(calibrated ? String.format(Locale.ROOT, " %10s%n", PromptTuneRun.fmt(r.testUncalibrated())) : System.lineSeparator());
        }
        return b.toString();
    }

    private static String shortModel(String model) {
        int slash = model.lastIndexOf('/');
        return slash >= 0 && slash < model.length() - 1 ? model.substring(slash + 1) : model;
    }

    @Override
    public String toString() {
        return table();
    }
}
