package dev.prompttune.core.train;

import java.util.List;

/**
 * What a run produced. The trainable state has already been restored to the best dev checkpoint (or, without
 * dev evaluations, left at the last good step).
 *
 * @param losses training loss per step (index = step − 1)
 * @param evals every dev evaluation, in order
 * @param failure the failure message (DIVERGED, FAILED), else null
 */
public record TrainingResult(StopReason reason, int steps, String metric, double bestValue, int bestStep,
                             List<Double> losses, List<TrainingListener.EvalEvent> evals, double seconds,
                             long paramsTrainable, long paramsTotal, String failure) {

    /** Trainable parameters as a percentage of the model's. */
    public double trainablePercent() {
        return 100.0 * paramsTrainable / Math.max(1, paramsTotal);
    }
}
