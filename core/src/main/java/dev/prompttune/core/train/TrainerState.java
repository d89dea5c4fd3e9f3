package dev.prompttune.core.train;

import dev.prompttune.core.train.optim.OptimizerState;
import java.util.List;

/**
 * Everything the training loop carries from one step to the next, at a step boundary: what a checkpoint saves, and
 * what makes a resumed run continue exactly as the uninterrupted run would have (same batches, same masks, same
 * updates, same evaluations and early-stopping decisions).
 *
 * <p>The batch order and the dropout masks are not in it: both follow from the seed and {@link #step()}.
 *
 * @param step completed steps
 * @param current the trainable arrays now ({@link Trainable#snapshot()})
 * @param best the best dev state so far (the initial state until an evaluation improves on it)
 * @param lastGood the state restored should the next step's loss not be finite
 * @param bestValue the best dev metric so far (−∞ before the first evaluation)
 * @param bestStep the step of {@code best} (0: none yet)
 * @param sinceBest evaluations since the best one (early stopping's counter)
 * @param losses every step's loss so far (index = step − 1)
 * @param evals every dev evaluation so far
 * @param optimizer the optimizer's state
 */
public record TrainerState(int step, float[][] current, float[][] best, float[][] lastGood, double bestValue, int bestStep,
                           int sinceBest, List<Double> losses, List<TrainingListener.EvalEvent> evals,
                           OptimizerState optimizer) {

    public TrainerState {
        losses = List.copyOf(losses);
        evals = List.copyOf(evals);
        if (losses.size() != step) {
            throw new IllegalArgumentException(losses.size() + " losses for " + step + " steps");
        }
    }
}
