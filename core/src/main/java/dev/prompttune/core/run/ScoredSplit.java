package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import java.util.List;

/**
 * A split scored ({@link Scorer}, {@link ExperimentContext#score}): its metric and per-example predictions, whose
 * scores are the ones each prediction was made from (calibrated when the spec calibrates).
 *
 * @param value the metric, NaN when an example has no gold label
 * @param predicted each example's predicted class [N] (−1: a generated text that matches no label)
 * @param uncalibrated the metric of the raw scores' argmax when calibrating, else NaN
 * @param prior the content-free prior [class] that was subtracted, or null
 */
public record ScoredSplit(double value, List<PromptTuneRun.Prediction> predictions, int[] predicted, double uncalibrated,
                          double[] prior) {

    /**
     * This split, refused when any example's scores are NaN or infinite: an argmax over NaN picks the first class, so
     * a broken model or prompt would print an accuracy (1.0 on a split led by that class) as if it were a result.
     *
     * @param what the thing scored, for the message (a record, a file)
     */
    public ScoredSplit requireFiniteScores(String what) {
        int bad = 0;
        String first = null;
        for (PromptTuneRun.Prediction p : predictions) {
            if (p.scores() == null) {
                continue;
            }
            for (float v : p.scores()) {
                if (!Float.isFinite(v)) {
                    bad++;
                    first = first == null ? String.valueOf(v) : first;
                    break;
                }
            }
        }
        if (bad > 0) {
            throw new PromptTuneException(what + ": the scores are not finite (" + first + ") for " + bad + " of "
                    + predictions.size() + " examples, so they predict nothing; allowed: a prompt and model with finite "
                    + "scores (a FAILED run's prompt or a damaged model gives NaN)");
        }
        return this;
    }
}
