package dev.prompttune.core.run;

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
                          double[] prior) {}
