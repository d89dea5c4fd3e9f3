package dev.prompttune.core.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.List;

/**
 * Replays PEFT prompt-tuning steps on one fixed batch, as {@code peft} + {@code transformers} train: the whole
 * PromptEmbedding weight [p · nts, H] is the optimised tensor, its first p rows are prepended to every row's token
 * embeddings (mask ones), the loss is the mean cross-entropy over labels, then one optimiser step. With nts 2 the
 * unused rows still share Adafactor's factored statistics and update clipping, so they must stay in the tensor.
 */
public final class PeftReplay {

    private PeftReplay() {}

    /**
     * @param losses loss before each update [steps]
     * @param trajectory the whole tensor after each update, row-major [steps, rows, width]
     * @param optimizerSteps steps the optimiser counted
     */
    public record Result(float[] losses, float[] trajectory, int rows, int width, int optimizerSteps) {

        /** The tensor after step {@code step} (0-based), row-major [rows, width]. */
        public float[] after(int step) {
            float[] out = new float[rows * width];
            System.arraycopy(trajectory, step * rows * width, out, 0, out.length);
            return out;
        }
    }

    /**
     * @param ids encoder input ids [B, T] int64 (right-padded)
     * @param mask [B, T]
     * @param labels [B, L] int64, −100 ignored
     * @param init the whole initial tensor, row-major [rows, H]
     * @param virtualTokens p ≤ rows: how many leading rows reach the encoder
     * @param training run the model in training mode (dropout as configured)
     */
    public static Result run(T5Model model, NDArray ids, NDArray mask, NDArray labels, float[] init, int rows,
                             int virtualTokens, Adafactor.Settings settings, int steps, boolean training, NDManager parent) {
        int width = init.length / rows;
        float[] losses = new float[steps];
        float[] trajectory = new float[steps * rows * width];
        try (NDManager m = parent.newSubManager(); Adafactor optimizer = settings.build(m)) {
            NDArray prompt = m.create(init, new Shape(rows, width));
            prompt.setRequiresGradient(true);
            long batch = ids.getShape().get(0);
            NDArray promptMask = m.ones(new Shape(batch, virtualTokens), mask.getDataType()).concat(mask, 1);
            for (int step = 0; step < steps; step++) {
                // Every temporary of the step (graph, gradient views, optimiser scratch) closes with the scope.
                try (NDScope scope = new NDScope()) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray used = prompt.get("0:" + virtualTokens).expandDims(0).repeat(0, batch);
                        NDArray embeddings = NDArrays.concat(new NDList(used, model.embed(ids)), 1);
                        NDArray encoded = model.encode(embeddings, promptMask, training);
                        NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded, promptMask, training));
                        NDArray loss = T5Model.loss(logits, labels);
                        collector.backward(loss);
                        losses[step] = loss.getFloat();
                    }
                    optimizer.step(List.of(prompt), List.of(prompt.getGradient()));
                    Optimizer.zeroGradients(List.of(prompt));
                    System.arraycopy(prompt.toFloatArray(), 0, trajectory, step * rows * width, rows * width);
                    scope.suppressNotUsedWarning();
                }
            }
            return new Result(losses, trajectory, rows, width, optimizer.stepCount());
        }
    }
}
