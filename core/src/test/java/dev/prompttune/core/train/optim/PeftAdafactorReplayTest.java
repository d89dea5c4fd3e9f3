package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays the 5 Adafactor steps peft + transformers made (fixture {@code tiny-t5-v1_1/peft-prompt-nts1}, {@code -nts2})
 * and compares the loss before each update and the whole prompt tensor after it.
 */
class PeftAdafactorReplayTest {

    private static final int VIRTUAL_TOKENS = 5;
    private static final float TOL = 1e-4f;

    @Test
    void nts1TrajectoryMatchesPeft() {
        double[] err = replay("peft-prompt-nts1", false);
        System.out.printf("nts1 replay: max |loss err| %.3g, max |prompt err| %.3g%n", err[0], err[1]);
    }

    @Test
    void nts2TrajectoryMatchesPeftOnTheWholeTensor() {
        double[] err = replay("peft-prompt-nts2", false);
        System.out.printf("nts2 replay: max |loss err| %.3g, max |prompt err| %.3g%n", err[0], err[1]);
    }

    /** The reference really depends on the unused rows sharing the Adafactor statistics: a [5, d] tensor alone drifts. */
    @Test
    void nts2UsedRowsAloneDoNotReproduceTheReference() {
        double[] err = replay("peft-prompt-nts2", true);
        System.out.printf("nts2 with only the used rows in the optimizer: max |prompt err| %.3g%n", err[1]);
        assertTrue(err[1] > 10 * TOL, "training rows [0,5) alone should drift from the reference, got " + err[1]);
    }

    /**
     * @param usedRowsOnly optimise a separate [5, d] tensor instead of the whole [p*nts, d] one (and skip asserts)
     * @return {max loss error, max prompt error}
     */
    private static double[] replay(String name, boolean usedRowsOnly) {
        double maxLossErr = 0;
        double maxPromptErr = 0;
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root);
             SafetensorsFile ref = SafetensorsFile.open(Fixtures.dir("tiny-t5-v1_1/" + name).resolve("expected.safetensors"));
             Adafactor optimizer = Adafactor.huggingFace(0.3f).build(root)) {
            NDArray ids = ref.load("input_ids", root, DataType.INT64);
            NDArray mask = ref.load("attention_mask", root, DataType.INT64);
            NDArray labels = ref.load("labels", root, DataType.INT64);
            NDArray init = ref.load("prompt_init", root, DataType.FLOAT32);
            long rows = init.getShape().get(0);
            long hidden = init.getShape().get(1);
            float[] losses = ref.readFloats("train_losses");
            float[] trajectory = ref.readFloats("prompt_trajectory");
            int steps = losses.length;
            assertEquals(steps * rows * hidden, trajectory.length);

            NDArray prompt = usedRowsOnly ? init.get("0:" + VIRTUAL_TOKENS).duplicate() : init;
            prompt.setRequiresGradient(true);
            long batch = ids.getShape().get(0);
            NDArray promptMask = root.ones(new Shape(batch, VIRTUAL_TOKENS), mask.getDataType()).concat(mask, 1);
            for (int step = 0; step < steps; step++) {
                float loss;
                try (NDScope scope = new NDScope()) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray used = prompt.get("0:" + VIRTUAL_TOKENS).expandDims(0).repeat(0, batch);
                        NDArray embeddings = NDArrays.concat(new NDList(used, model.embed(ids)), 1);
                        NDArray encoded = model.encode(embeddings, promptMask, true);
                        NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded, promptMask, true));
                        NDArray lossArray = T5Model.loss(logits, labels);
                        collector.backward(lossArray);
                        loss = lossArray.getFloat();
                    }
                    NDArray before = prompt;
                    optimizer.step(List.of(prompt), List.of(prompt.getGradient()));
                    assertSame(before, prompt);
                    Optimizer.zeroGradients(List.of(prompt));
                    scope.suppressNotUsedWarning();
                }
                double lossErr = Math.abs(loss - losses[step]);
                maxLossErr = Math.max(maxLossErr, lossErr);
                float[] actual = prompt.toFloatArray();
                int base = (int) (step * rows * hidden);
                for (int i = 0; i < actual.length; i++) {
                    double e = Math.abs(actual[i] - trajectory[base + i]);
                    maxPromptErr = Math.max(maxPromptErr, e);
                    if (!usedRowsOnly) {
                        assertEquals(trajectory[base + i], actual[i], TOL,
                                name + " prompt after step " + step + " at " + (i / hidden) + "," + (i % hidden));
                    }
                }
                if (!usedRowsOnly) {
                    assertEquals(losses[step], loss, TOL, name + " loss before step " + step);
                }
            }
            assertEquals(steps, optimizer.stepCount());
            if (!usedRowsOnly) {
                float[] fin = ref.readFloats("prompt_final");
                float[] actual = prompt.toFloatArray();
                for (int i = 0; i < fin.length; i++) {
                    assertEquals(fin[i], actual[i], TOL, name + " prompt_final[" + i + "]");
                }
            }
        }
        return new double[] {maxLossErr, maxPromptErr};
    }
}
