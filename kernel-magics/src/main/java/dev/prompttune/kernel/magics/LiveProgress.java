package dev.prompttune.kernel.magics;

import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.kernel.RichOutput;
import dev.prompttune.kernel.charts.Charts;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The live view of training runs in a notebook: for each run, one progress display (bar, step, loss, dev metric,
 * ETA) and one chart (loss and dev metric vs step), both redrawn in place with {@code updateDisplay}. Redraws are
 * throttled (progress ≤ 1/s, chart ≤ 1 per 5 s, both at every evaluation and at the end) so they cost little
 * training time. (After a run stops on an interrupt, the next run of the same cell, a sweep's, does not start:
 * {@code Experiments} refuses it.)
 */
final class LiveProgress implements TrainingListener {

    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;
    private static final long CHART_EVERY_NANOS = 5_000_000_000L;
    /** Session-wide: whether runs draw a live chart ({@code %liveCharts}). */
    private static volatile boolean showCharts = true;

    private String name = "";
    private String progressId;
    private String chartId;
    private Curve loss = new Curve();
    private Curve dev = new Curve();
    private String metric = "dev metric";
    private StepEvent last;
    private EvalEvent lastEval;
    private long lastProgress;
    private long lastChart;
    private final DisplayPublisher publisher;

    LiveProgress(DisplayPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onStart(StartEvent e) {
        name = e.name();
        loss = new Curve();
        dev = new Curve();
        last = null;
        lastEval = null;
        progressId = publisher.display(progress(String.format(Locale.ROOT, "%s: %,d steps, %,d train / %,d dev examples, %,d trainable of %,d parameters",
                e.name(), e.totalSteps(), e.trainExamples(), e.devExamples(), e.paramsTrainable(), e.paramsTotal()), 0, e.totalSteps()));
        chartId = showCharts ? publisher.display(chart()) : null;
        lastProgress = lastChart = System.nanoTime();
    }

    @Override
    public void onStep(StepEvent e) {
        last = e;
        loss.add(e.step(), e.loss());
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_EVERY_NANOS || e.step() == e.totalSteps()) {
            redrawProgress(null);
            lastProgress = now;
        }
        if (now - lastChart >= CHART_EVERY_NANOS) {
            redrawChart();
            lastChart = now;
        }
    }

    @Override
    public void onEval(EvalEvent e) {
        lastEval = e;
        metric = e.metric();
        dev.add(e.step(), e.value());
        redrawProgress(null);
        redrawChart();
    }

    @Override
    public void onDone(DoneEvent e) {
        String status = switch (e.reason()) {
            case INTERRUPTED -> "interrupted at step " + e.steps() + ": kept the best prompt; scoring it and saving the record";
            case DIVERGED -> "stopped at step " + e.steps() + ": the loss diverged; kept the best prompt";
            case EARLY_STOPPED -> "stopped early at step " + e.steps() + " (no dev improvement)";
            default -> "trained " + e.steps() + " steps in " + duration(e.seconds()) + "; scoring test and baselines";
        };
        redrawProgress(status);
        redrawChart();
    }

    @Override
    public void onFailed(FailedEvent e) {
        redrawProgress("failed at step " + e.step() + ": " + e.message());
    }

    private void redrawProgress(String status) {
        if (progressId == null || last == null && status == null) {
            return;
        }
        int step = last == null ? 0 : last.step();
        int total = last == null ? 1 : last.totalSteps();
        StringBuilder t = new StringBuilder(name);
        if (last != null) {
            t.append(String.format(Locale.ROOT, "  step %d/%d  loss %.4f", step, total, last.loss()));
        }
        if (lastEval != null) {
            t.append(String.format(Locale.ROOT, "  dev %s %.4f (best %.4f @%d)", lastEval.metric(), lastEval.value(),
                    lastEval.bestValue(), lastEval.bestStep()));
        }
        if (last != null) {
            double eta = step == 0 ? 0 : last.elapsedSeconds() / step * (total - step);
            t.append("  ").append(duration(last.elapsedSeconds())).append(" elapsed");
            if (status == null) {
                t.append(", ETA ").append(duration(eta));
            }
        }
        if (status != null) {
            t.append("  — ").append(status);
        }
        publisher.update(progressId, progress(t.toString(), step, total));
    }

    /** Whether the runs started from now on draw a live chart ({@code %liveCharts on|off}). */
    static void showCharts(boolean show) {
        showCharts = show;
    }

    static boolean showsCharts() {
        return showCharts;
    }

    private void redrawChart() {
        if (chartId != null) {
            publisher.update(chartId, chart());
        }
    }

    /** The chart of the curves so far, drawn later on the publisher's thread from this snapshot. */
    private Supplier<RichOutput> chart() {
        String run = name;
        String m = metric;
        double[] lossX = loss.x(), lossY = loss.y(), devX = dev.x(), devY = dev.y();
        return () -> RichOutput.of("chart: " + run + " (loss and " + m + " vs step)")
                .png(Charts.livePng(run, lossX, lossY, devX, devY, m));
    }

    private static Supplier<RichOutput> progress(String text, int step, int total) {
        String html = "<div style=\"font-family:monospace\"><progress value=\"" + step + "\" max=\"" + Math.max(1, total)
                + "\" style=\"width:16em;vertical-align:middle\"></progress> " + Html.escape(text) + "</div>";
        return () -> RichOutput.of(text).html(html);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** A growing (x, y) series. */
    private static final class Curve {
        private double[] x = new double[64];
        private double[] y = new double[64];
        private int n;

        void add(double xv, double yv) {
            if (n == x.length) {
                x = java.util.Arrays.copyOf(x, n * 2);
                y = java.util.Arrays.copyOf(y, n * 2);
            }
            x[n] = xv;
            y[n++] = yv;
        }

        double[] x() {
            return java.util.Arrays.copyOf(x, n);
        }

        double[] y() {
            return java.util.Arrays.copyOf(y, n);
        }
    }
}
