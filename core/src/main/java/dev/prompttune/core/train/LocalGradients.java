package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5Model;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's gradient in this process: the micro-batches one after the other, autograd accumulating their gradients
 * on the trainable arrays (the trainer zeroes them after each step). An interrupt between micro-batches cancels the
 * step ({@link GradientsUnavailable#interrupted()}).
 */
final class LocalGradients implements StepGradients {

    private final T5Model model;
    private final Trainable trainable;
    private final TokenizedTask train;
    private final long seed;
    private final float dropout;
    private final TrainingLoss loss;
    private final NDManager root;

    LocalGradients(T5Model model, Trainable trainable, TokenizedTask train, long seed, float dropout, TrainingLoss loss,
                   NDManager root) {
        MicroBatch.Classes.requireClasses(loss, train);
        this.model = model;
        this.trainable = trainable;
        this.train = train;
        this.seed = seed;
        this.dropout = dropout;
        this.loss = loss;
        this.root = root;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public Step compute(int step, List<int[]> microBatches) {
        long start = System.nanoTime();
        int count = microBatches.size();
        double[] losses = new double[count];
        for (int k = 0; k < count; k++) {
            if (k > 0 && Thread.interrupted()) {
                // A step of many micro-batches can take minutes: an interrupt drops its partial sum here rather
                // than at the step's end (the trainer zeroes the gradients and keeps the prompt of the last step).
                throw new GradientsUnavailable("interrupted after " + k + " of " + count + " micro-batches", true,
                        null);
            }
            int[] batch = microBatches.get(k);
            long[][][] rows = MicroBatch.rows(train, batch);
            losses[k] = MicroBatch.backward(model, trainable.input(), rows[0], rows[1],
                    MicroBatch.Classes.of(loss, train, batch), count, dropout,
                    MicroBatch.maskSeed(seed, step, k), root);
        }
        double loss = StepGradients.meanLoss(losses);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Double.isFinite(loss)) {
            return new Step(loss, null, seconds);
        }
        List<NDArray> grads = new ArrayList<>();
        for (NDArray p : trainable.parameters()) {
            grads.add(p.getGradient());
        }
        return new Step(loss, grads, seconds);
    }
}
