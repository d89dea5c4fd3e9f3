package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.verify.Comparison;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: a garbage collection between the forward and the backward pass must not change dL/dP. DJL's
 * {@code mul(Number)} family frees its scalar operand while autograd still holds it (see {@link Scalars}); before the
 * model stopped using them, a collection here turned the gradient into NaN.
 */
class GarbageCollectionDuringBackwardTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-t5-v1_0", "tiny-t5-v1_1"})
    void promptGradientSurvivesACollection(String checkpoint) {
        try (NDManager m = NDManager.newBaseManager();
             SafetensorsFile expected = SafetensorsFile.open(Fixtures.dir(checkpoint).resolve("expected.safetensors"));
             T5Model model = T5Model.load(Fixtures.dir(checkpoint), m)) {
            NDArray ids = expected.load("input_ids", m, DataType.INT64);
            NDArray mask = expected.load("attention_mask", m, DataType.INT64);
            NDArray labels = expected.load("labels", m, DataType.INT64);
            for (int round = 0; round < 3; round++) {
                NDArray prompt = expected.load("prompt", m, DataType.FLOAT32);
                prompt.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    PromptLayout.Combined c = PromptLayout.combine(model.embed(ids), mask, prompt, Placement.PREFIX);
                    NDArray encoded = model.encode(c.embeddings(), c.mask(), false);
                    NDArray loss = T5Model.loss(model.logits(model.decode(model.shiftRight(labels), encoded, c.mask(), false)), labels);
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                    }
                    collector.backward(loss);
                }
                Comparison grad = Comparison.of("prompt_grad", prompt.getGradient().toFloatArray(),
                        expected.readFloats("prompt_grad"), 1e-4, 0);
                assertTrue(grad.passed(), checkpoint + " round " + round + ": max error " + grad.maxAbsError());
            }
        }
    }
}
