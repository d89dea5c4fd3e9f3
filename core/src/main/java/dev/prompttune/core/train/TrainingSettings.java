package dev.prompttune.core.train;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long and how to train, independent of what is trained (prompt or whole model).
 *
 * @param steps optimiser steps (each of {@code gradientAccumulation} micro-batches of {@code batchSize})
 * @param batchSize examples per micro-batch
 * @param gradientAccumulation micro-batches summed into one step (≥ 1)
 * @param evalEvery evaluate on dev every N steps (0: only at the end)
 * @param patience stop after this many evaluations without improvement (0: never)
 * @param seed batching order, dropout and initialisation
 * @param dropout override of the checkpoint's dropout rate, or null to keep it
 * @param evalBatchSize examples per evaluation batch
 * @param maxGradNorm before each update, gradients are scaled down so that their global L2 norm (over every
 *        trained array together) is at most this; 0 turns clipping off. It caps the damage of the rare huge gradient
 *        that otherwise sends full-model training into a loss spike.
 * @param loss what each micro-batch minimises ({@link TrainingLoss}; the paper's sequence loss unless set)
 */
public record TrainingSettings(int steps, int batchSize, int gradientAccumulation, int evalEvery, int patience, long seed,
                               Float dropout, int evalBatchSize, float maxGradNorm, TrainingLoss loss) {

    public TrainingSettings {
        require(steps >= 1, "steps", steps, "steps >= 1");
        require(batchSize >= 1, "batch", batchSize, "batch >= 1");
        require(gradientAccumulation >= 1, "gradientAccumulation", gradientAccumulation, "gradientAccumulation >= 1");
        require(evalEvery >= 0, "evalEvery", evalEvery, "evalEvery >= 0 (0: evaluate at the end only)");
        require(patience >= 0, "patience", patience, "patience >= 0 (0: no early stopping)");
        require(evalBatchSize >= 1, "evalBatch", evalBatchSize, "evalBatch >= 1");
        if (dropout != null) {
            require(dropout >= 0 && dropout < 1, "dropout", dropout, "0 <= dropout < 1");
        }
        require(maxGradNorm >= 0 && Float.isFinite(maxGradNorm), "maxGradNorm", maxGradNorm,
                "a finite number >= 0 (0: no gradient clipping)");
        require(loss != null, "loss", loss, String.join(", ", TrainingLoss.keys()));
    }

    /** With the sequence loss. */
    public TrainingSettings(int steps, int batchSize, int gradientAccumulation, int evalEvery, int patience, long seed,
                            Float dropout, int evalBatchSize, float maxGradNorm) {
        this(steps, batchSize, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, maxGradNorm,
                TrainingLoss.SEQUENCE);
    }

    /** Without gradient clipping. */
    public TrainingSettings(int steps, int batchSize, int gradientAccumulation, int evalEvery, int patience, long seed,
                            Float dropout, int evalBatchSize) {
        this(steps, batchSize, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, 0f);
    }

    /** The paper's recipe at a given step budget: batch 32, evaluate every 100 steps, no early stopping. */
    public static TrainingSettings defaults(int steps) {
        return new TrainingSettings(steps, 32, 1, 100, 0, 42, null, 64);
    }

    public TrainingSettings withSteps(int n) {
        return new TrainingSettings(n, batchSize, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withBatch(int n) {
        return new TrainingSettings(steps, n, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withEval(int every, int patienceEvals) {
        return new TrainingSettings(steps, batchSize, gradientAccumulation, every, patienceEvals, seed, dropout, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(steps, batchSize, gradientAccumulation, evalEvery, patience, s, dropout, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withDropout(Float d) {
        return new TrainingSettings(steps, batchSize, gradientAccumulation, evalEvery, patience, seed, d, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withGradientAccumulation(int n) {
        return new TrainingSettings(steps, batchSize, n, evalEvery, patience, seed, dropout, evalBatchSize, maxGradNorm, loss);
    }

    public TrainingSettings withMaxGradNorm(float norm) {
        return new TrainingSettings(steps, batchSize, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, norm, loss);
    }

    public TrainingSettings withLoss(TrainingLoss l) {
        return new TrainingSettings(steps, batchSize, gradientAccumulation, evalEvery, patience, seed, dropout, evalBatchSize, maxGradNorm, l);
    }

    /** The dropout rate training uses on {@code model}: this override, else the model's own rate. */
    public float dropoutFor(dev.prompttune.core.model.T5Model model) {
        return dropout != null ? dropout : model.dropoutRate();
    }

    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("steps", steps);
        d.put("batch", batchSize);
        d.put("gradientAccumulation", gradientAccumulation);
        d.put("evalEvery", evalEvery);
        d.put("patience", patience);
        d.put("seed", seed);
        d.put("dropout", dropout);
        d.put("evalBatch", evalBatchSize);
        d.put("maxGradNorm", maxGradNorm);
        d.put("loss", loss.key());
        return d;
    }

    static void require(boolean ok, String name, Object value, String allowed) {
        if (!ok) {
            throw new PromptTuneException(name + " is " + value + "; allowed: " + allowed);
        }
    }
}
