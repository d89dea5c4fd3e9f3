package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.testing.TinyWorld;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link T5Model#decodeGrouped} (G targets per encoder row, the encoder's keys and values projected once a row) against
 * the form it replaces in rank classification: {@link T5Model#decode} over the encoder output and mask repeated G
 * times. Both the decoder output and the gradient that reaches the encoder output must agree, with padding in the
 * encoder rows and with dropout on (the masks must fall on the same elements).
 */
class GroupedDecodeTest {

    private static final int ROWS = 3;
    private static final int SOURCE = 7;
    private static final int GROUP = 4;
    private static final int TARGET = 3;

    @Test
    void groupedDecodeEqualsDecodeOverRepeatedEncoderRows() {
        compare(0f);
    }

    @Test
    void groupedDecodeEqualsRepeatedFormWithDropout() {
        compare(0.3f);
    }

    private static void compare(float dropout) {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.random(TinyWorld.config(), root, 5)) {
            int hiddenSize = TinyWorld.config().dModel;
            Random random = new Random(11);
            float[] hiddenValues = new float[ROWS * SOURCE * hiddenSize];
            for (int i = 0; i < hiddenValues.length; i++) {
                hiddenValues[i] = (float) random.nextGaussian();
            }
            long[] maskValues = new long[ROWS * SOURCE];
            for (int r = 0; r < ROWS; r++) {
                for (int s = 0; s < SOURCE - r * 2; s++) { // rows 1 and 2 end in padding
                    maskValues[r * SOURCE + s] = 1;
                }
            }
            long[] ids = new long[ROWS * GROUP * TARGET];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 3 + random.nextInt(TinyWorld.config().vocabSize - 3);
            }
            Result grouped = run(model, root, hiddenValues, maskValues, ids, dropout, true);
            Result repeated = run(model, root, hiddenValues, maskValues, ids, dropout, false);
            assertEquals(grouped.output.length, repeated.output.length);
            assertArrayEquals(repeated.output, grouped.output, 1e-5f, "decoder output");
            assertArrayEquals(repeated.hiddenGradient, grouped.hiddenGradient, 1e-5f, "gradient at the encoder output");
        }
    }

    private record Result(float[] output, float[] hiddenGradient) {}

    private static Result run(T5Model model, NDManager root, float[] hiddenValues, long[] maskValues, long[] ids,
                              float dropout, boolean grouped) {
        int hiddenSize = TinyWorld.config().dModel;
        try (NDManager m = root.newSubManager();
             GradMode.Scope on = GradMode.on();
             DropoutScope scope = DropoutScope.open(dropout, 99)) {
            NDArray hidden = m.create(hiddenValues, new Shape(ROWS, SOURCE, hiddenSize));
            hidden.setRequiresGradient(true);
            NDArray mask = m.create(maskValues, new Shape(ROWS, SOURCE));
            NDArray inputs = m.create(ids, new Shape((long) ROWS * GROUP, TARGET)).toType(DataType.INT64, false);
            boolean training = dropout > 0;
            NDArray out = grouped
                    ? model.decodeGrouped(inputs, hidden, mask, GROUP, training)
                    : model.decode(inputs, hidden.repeat(0, GROUP), mask.repeat(0, GROUP), training);
            // A loss that weighs every output element differently, so a misplaced row or class shows in the gradient.
            NDArray weights = m.arange(0f, (float) out.getShape().size()).reshape(out.getShape()).sin();
            GradMode.backward(out.mul(weights).sum());
            return new Result(out.toFloatArray(), hidden.getGradient().toFloatArray());
        }
    }
}
