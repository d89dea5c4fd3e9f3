package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.peft.PeftReplay;
import dev.prompttune.core.testing.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Replays the 5 Adafactor steps peft + transformers made (fixture {@code tiny-t5-v1_1/peft-prompt-nts1}, {@code -nts2})
 * with {@link PeftReplay} and compares the loss before each update and the whole prompt tensor after it.
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
             SafetensorsFile ref = SafetensorsFile.open(Fixtures.dir("tiny-t5-v1_1/" + name).resolve("expected.safetensors"))) {
            NDArray ids = ref.load("input_ids", root, DataType.INT64);
            NDArray mask = ref.load("attention_mask", root, DataType.INT64);
            NDArray labels = ref.load("labels", root, DataType.INT64);
            long[] initShape = ref.info("prompt_init").shape();
            int rows = (int) initShape[0];
            int hidden = (int) initShape[1];
            float[] init = ref.readFloats("prompt_init");
            float[] losses = ref.readFloats("train_losses");
            float[] trajectory = ref.readFloats("prompt_trajectory");
            int steps = losses.length;
            assertEquals((long) steps * rows * hidden, trajectory.length);

            int optimised = usedRowsOnly ? VIRTUAL_TOKENS : rows;
            PeftReplay.Result result = PeftReplay.run(model, ids, mask, labels, Arrays.copyOf(init, optimised * hidden),
                    optimised, VIRTUAL_TOKENS, Adafactor.huggingFace(0.3f), steps, true, root);
            assertEquals(steps, result.optimizerSteps());
            for (int step = 0; step < steps; step++) {
                float loss = result.losses()[step];
                maxLossErr = Math.max(maxLossErr, Math.abs(loss - losses[step]));
                float[] actual = result.after(step);
                int base = step * rows * hidden;
                for (int i = 0; i < actual.length; i++) {
                    maxPromptErr = Math.max(maxPromptErr, Math.abs(actual[i] - trajectory[base + i]));
                    if (!usedRowsOnly) {
                        assertEquals(trajectory[base + i], actual[i], TOL,
                                name + " prompt after step " + step + " at " + (i / hidden) + "," + (i % hidden));
                    }
                }
                if (!usedRowsOnly) {
                    assertEquals(losses[step], loss, TOL, name + " loss before step " + step);
                }
            }
            if (!usedRowsOnly) {
                float[] fin = ref.readFloats("prompt_final");
                float[] actual = result.after(steps - 1);
                for (int i = 0; i < fin.length; i++) {
                    assertEquals(fin[i], actual[i], TOL, name + " prompt_final[" + i + "]");
                }
            }
        }
        return new double[] {maxLossErr, maxPromptErr};
    }
}
