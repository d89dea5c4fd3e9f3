package dev.prompttune.core.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar: one line redrawn in place ({@code \r}) with step, loss, learning rate, speed, ETA and
 * the latest dev metric; evaluations and the end are printed on lines of their own. When output is not a
 * terminal (CI logs), it prints a line every {@code logEvery} steps instead of redrawing. One instance serves every
 * run of a sweep, so each start forgets the previous run's dev metric.
 */
public final class ConsoleProgress implements TrainingListener {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean redraw;
    private final int logEvery;
    private String lastEval = "";

    public ConsoleProgress(PrintStream out) {
        this(out, System.console() != null, 50);
    }

    public ConsoleProgress(PrintStream out, boolean redraw, int logEvery) {
        this.out = out;
        this.redraw = redraw;
        this.logEvery = Math.max(1, logEvery);
    }

    @Override
    public void onStart(StartEvent e) {
        lastEval = "";
        out.printf(Locale.ROOT, "training %s: %d steps, %d train / %d dev examples, %,d trainable of %,d parameters (%.4f%%)%n",
                e.name(), e.totalSteps(), e.trainExamples(), e.devExamples(), e.paramsTrainable(), e.paramsTotal(),
                100.0 * e.paramsTrainable() / Math.max(1, e.paramsTotal()));
    }

    @Override
    public void onStep(StepEvent e) {
        if (!redraw && e.step() % logEvery != 0 && e.step() != e.totalSteps()) {
            return;
        }
        int filled = (int) Math.round((double) BAR * e.step() / Math.max(1, e.totalSteps()));
        double eta = e.step() == 0 ? 0 : e.elapsedSeconds() / e.step() * (e.totalSteps() - e.step());
        String line = String.format(Locale.ROOT, "[%s%s] %d/%d loss %.4f lr %.3g %.1f ex/s eta %s%s",
                "#".repeat(filled), ".".repeat(BAR - filled), e.step(), e.totalSteps(), e.loss(), e.learningRate(),
                e.examplesPerSecond(), duration(eta), lastEval);
        if (redraw) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onEval(EvalEvent e) {
        lastEval = String.format(Locale.ROOT, " | dev %s %.4f (best %.4f @%d)", e.metric(), e.value(), e.bestValue(), e.bestStep());
        // The step line for this step was drawn before the evaluation ran; without its own line this value would
        // only show on the next step line, and never for the last evaluation.
        if (redraw) {
            out.println();
        }
        out.printf(Locale.ROOT, "eval at step %d: dev %s %.4f (best %.4f at step %d)%n",
                e.step(), e.metric(), e.value(), e.bestValue(), e.bestStep());
        out.flush();
    }

    @Override
    public void onDone(DoneEvent e) {
        if (redraw) {
            out.println();
        }
        // No dev score exists when the run stopped before its first step, or had no dev split.
        String best = Double.isNaN(e.bestValue()) ? "no dev score"
                : String.format(Locale.ROOT, "best dev %.4f at step %d", e.bestValue(), e.bestStep());
        out.printf(Locale.ROOT, "done: %s after %d steps in %s; %s%n", e.reason().name().toLowerCase(Locale.ROOT),
                e.steps(), duration(e.seconds()), best);
    }

    @Override
    public void onFailed(FailedEvent e) {
        if (redraw) {
            out.println();
        }
        // The status line only: the run's warning (a diverged run) or error (a failed one) follows with the whole
        // message, what was kept and what to check; printed here too, it was said twice.
        int clause = e.message().indexOf(';');
        out.println("stopped at step " + e.step() + ": " + (clause < 0 ? e.message() : e.message().substring(0, clause)));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
