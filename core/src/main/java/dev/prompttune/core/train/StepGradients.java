package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5Model;
import java.util.List;

/**
 * Where a training step's gradient comes from: this process ({@link LocalGradients}, the default) or a cluster
 * backend ({@link dev.prompttune.core.run.ClusterBackend}). The trainer draws the step's micro-batches, asks for
 * their summed gradient, then clips and updates itself, so every source shares the rest of the loop.
 *
 * <p>The contract that makes sources interchangeable: micro-batch k of step s is {@link MicroBatch#backward} with
 * {@code count} = the step's micro-batches and masks from {@link MicroBatch#maskSeed}(seed, s, k), and the step's
 * gradient is the micro-batches' gradients added one after the other in micro-batch order (float32), as autograd
 * accumulates them in one process ({@link #sumInOrder}). Then W workers equal one process with W× accumulation.
 */
public interface StepGradients extends AutoCloseable {

    /**
     * Workers computing micro-batches at once; a step takes {@code gradientAccumulation × workers()}
     * micro-batches. 1 in a single process.
     */
    int workers();

    /**
     * The step's loss and summed gradient.
     *
     * @param step 0-based
     * @param microBatches the step's micro-batches, in order: row indices into the training split
     * @return the mean of the micro-batches' losses and one gradient per trainable array (the caller closes them);
     *         gradients null when the loss is not finite
     * @throws GradientsUnavailable when the step cannot be computed (a cluster job failed or was interrupted)
     */
    Step compute(int step, List<int[]> microBatches);

    /**
     * A step's mean loss and gradients (null when the loss is not finite).
     *
     * @param computeSeconds the longest time one worker spent computing its micro-batches (the step's critical path
     *                       without the backend's own scheduling and transfers; all of it in one process)
     */
    record Step(double loss, List<NDArray> gradients, double computeSeconds) {}

    /** Micro-batches in this process, autograd accumulating on {@code trainable}'s arrays (the trainer's default). */
    static StepGradients local(T5Model model, Trainable trainable, TokenizedTask train, long seed, float dropout,
                               TrainingLoss loss, NDManager root) {
        return new LocalGradients(model, trainable, train, seed, dropout, loss, root);
    }

    /** The mean of micro-batch losses, added in order as the single-process loop adds them. */
    static double meanLoss(double[] losses) {
        double loss = 0;
        for (double l : losses) {
            loss += l / losses.length;
        }
        return loss;
    }

    /**
     * Micro-batch gradients [micro][flat values] added in order in float32: {@code ((g0 + g1) + g2) + …}, the additions
     * autograd makes when it accumulates the same micro-batches one after the other into a parameter's gradient.
     */
    static float[] sumInOrder(List<float[]> gradients) {
        float[] sum = gradients.get(0).clone();
        for (int k = 1; k < gradients.size(); k++) {
            float[] g = gradients.get(k);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i];
            }
        }
        return sum;
    }

    @Override
    default void close() {}
}
