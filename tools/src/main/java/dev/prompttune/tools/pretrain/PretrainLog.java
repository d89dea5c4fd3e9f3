package dev.prompttune.tools.pretrain;

import dev.prompttune.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a compact line every N steps (mean loss of the window) and one per held-out evaluation. */
final class PretrainLog implements TrainingListener {
    final String phase;
    final int every;
    final List<String> lines = new ArrayList<>();
    final List<double[]> windows = new ArrayList<>();
    final List<double[]> vals = new ArrayList<>();
    double sum;
    int count;
    long started = System.nanoTime();

    PretrainLog(String phase, int every) {
        this.phase = phase;
        this.every = Math.max(1, every);
    }

    @Override
    public void onStep(StepEvent e) {
        sum += e.loss();
        count++;
        if (e.step() == 1 || e.step() % every == 0 || e.step() == e.totalSteps()) {
            double mean = sum / count;
            double elapsed = (System.nanoTime() - started) / 1e9;
            windows.add(new double[] {e.step(), mean});
            lines.add(String.format(Locale.ROOT, "{\"phase\":\"%s\",\"step\":%d,\"loss\":%.4f,\"lr\":%.3g,\"s\":%.1f}",
                    phase, e.step(), mean, e.learningRate(), elapsed));
            System.out.printf(Locale.ROOT, "%s step %d/%d loss %.4f lr %.3g %.1f s (%.2f s/step)%n", phase, e.step(),
                    e.totalSteps(), mean, e.learningRate(), elapsed, elapsed / e.step());
            sum = 0;
            count = 0;
        }
    }

    @Override
    public void onEval(EvalEvent e) {
        vals.add(new double[] {e.step(), -e.value()});
        double elapsed = (System.nanoTime() - started) / 1e9;
        lines.add(String.format(Locale.ROOT, "{\"phase\":\"%s\",\"step\":%d,\"val_loss\":%.4f,\"s\":%.1f}", phase, e.step(),
                -e.value(), elapsed));
        System.out.printf(Locale.ROOT, "%s step %d held-out loss %.4f%n", phase, e.step(), -e.value());
    }
}
