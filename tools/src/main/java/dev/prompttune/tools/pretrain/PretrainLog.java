package dev.prompttune.tools.pretrain;

import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** Seconds since the phase started, earlier sittings included after {@link #restore}. */
    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** What a phase checkpoint keeps of the log: its lines so far and the phase's elapsed seconds. */
    Map<String, String> notes() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("log_lines", String.join("\n", lines));
        notes.put("elapsed_seconds", Double.toString(elapsedSeconds()));
        return notes;
    }

    /**
     * Back to where a checkpoint left the log: its lines (and the windows they mark), the held-out values, its
     * elapsed time, and the open window's running sum over the steps after the last window (from the state's losses,
     * summed in the same order as the uninterrupted run summed them).
     */
    void restore(Map<String, String> notes, TrainerState state) {
        List<Double> losses = state.losses();
        String text = notes.getOrDefault("log_lines", "");
        int lastWindow = 0;
        for (String line : text.isEmpty() ? List.<String>of() : List.of(text.split("\n"))) {
            lines.add(line);
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            int step = o.get("step").getAsInt();
            if (!o.has("val_loss")) {
                windows.add(new double[] {step, o.get("loss").getAsDouble()});
                lastWindow = step;
            }
        }
        // The window means above were printed to 4 decimals; the state's losses are exact: recompute them.
        for (int w = 0, from = 0; w < windows.size(); w++) {
            int to = (int) windows.get(w)[0];
            double s = 0;
            for (int i = from; i < to; i++) {
                s += losses.get(i);
            }
            windows.get(w)[1] = s / (to - from);
            from = to;
        }
        for (EvalEvent e : state.evals()) {
            vals.add(new double[] {e.step(), -e.value()});
        }
        sum = 0;
        count = 0;
        for (int i = lastWindow; i < losses.size(); i++) {
            sum += losses.get(i);
            count++;
        }
        started = System.nanoTime() - (long) (Double.parseDouble(notes.getOrDefault("elapsed_seconds", "0")) * 1e9);
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
