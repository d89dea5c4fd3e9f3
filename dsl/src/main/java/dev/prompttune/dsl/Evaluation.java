package dev.prompttune.dsl;

import dev.prompttune.core.run.PromptTuneRun;
import java.util.List;
import java.util.Locale;

/**
 * A saved prompt scored afresh ({@code evaluate(run)}, {@code evaluate(run, 'other.jsonl')}, {@code prompttune eval}).
 *
 * @param recorded the value the run recorded for the same split (NaN when scored on other data)
 */
public record Evaluation(String run, String split, String metric, double value, double recorded,
                         List<PromptTuneRun.Prediction> predictions) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s %s %.4f%s", run, split, metric, value,
                Double.isNaN(recorded) ? "" : String.format(Locale.ROOT, " (recorded %.4f)", recorded));
    }
}
