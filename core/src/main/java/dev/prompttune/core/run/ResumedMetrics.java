package dev.prompttune.core.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener.EvalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines a resumed run's {@code metrics.jsonl} keeps: one step line per step up to the checkpoint's, each evaluation
 * at its step, in step order. A killed process may have logged steps past its checkpoint (dropped) and cut its last
 * line short; a line lost or damaged before the checkpoint's step is rebuilt from the checkpoint, which holds every
 * loss and evaluation (a rebuilt step line has its loss only), and said once.
 */
final class ResumedMetrics {

    /** The kept lines, and a warning when lines before the checkpoint's step had to be rebuilt or reordered. */
    record Kept(String text, String warning) {}

    private ResumedMetrics() {}

    static Kept of(List<String> lines, TrainerState state, String source) {
        int last = state.step();
        Map<Integer, String> steps = new TreeMap<>();
        Map<Integer, String> evals = new TreeMap<>();
        int previous = 0;
        boolean reordered = false;
        for (String line : lines) {
            JsonObject o;
            try {
                o = JsonParser.parseString(line).getAsJsonObject();
                String type = o.get("type").getAsString();
                int step = o.get("step").getAsInt();
                if (step > last || !(type.equals("step") || type.equals("eval"))) {
                    continue; // logged after the checkpoint, or a run's ending ("failed"): the resumed run writes its own
                }
                reordered |= step < previous;
                previous = Math.max(previous, step);
                (type.equals("step") ? steps : evals).putIfAbsent(step, line);
            } catch (RuntimeException unreadable) {
                // a blank line, or one cut short: rebuilt below when it was before the checkpoint
            }
        }
        int rebuilt = 0;
        for (int step = 1; step <= last; step++) {
            if (!steps.containsKey(step)) {
                JsonObject o = new JsonObject();
                o.addProperty("type", "step");
                o.addProperty("step", step);
                o.addProperty("loss", state.losses().get(step - 1));
                steps.put(step, RunRecord.GSON.toJson(o));
                rebuilt++;
            }
        }
        for (EvalEvent e : state.evals()) {
            if (!evals.containsKey(e.step())) {
                evals.put(e.step(), RunRecord.GSON.toJson(RunRecord.evalLine(e)));
                rebuilt++;
            }
        }
        StringBuilder text = new StringBuilder();
        List<Integer> order = new ArrayList<>(steps.keySet());
        for (int step : order) {
            text.append(steps.get(step)).append('\n');
            if (evals.containsKey(step)) {
                text.append(evals.get(step)).append('\n');
            }
        }
        String warning = rebuilt == 0 && !reordered ? null : source + ": " + (rebuilt > 0 ? rebuilt + " line(s) up to "
                + "the checkpoint's step " + last + " were missing or unreadable and are rebuilt from the checkpoint (a "
                + "step line with its loss only)" : "") + (rebuilt > 0 && reordered ? "; " : "")
                + (reordered ? "its lines were out of step order and are put back in order" : "");
        return new Kept(text.toString(), warning);
    }
}
