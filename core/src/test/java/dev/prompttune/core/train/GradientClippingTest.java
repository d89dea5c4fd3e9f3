package dev.prompttune.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.InitContext;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clipping by global norm: the arithmetic, and that the trainer hands the optimizer clipped gradients. */
class GradientClippingTest {

    private static NDManager root;

    @BeforeAll
    static void open() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @Test
    void scalesEveryGradientByTheSameFactorDownToTheLimit() {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.create(new float[] {3, 4});
            NDArray b = m.create(new float[] {12}, new Shape(1, 1));
            // |(3, 4, 12)| = 13
            double before = GradientClipping.clip(List.of(a, b), 1.0);
            assertEquals(13.0, before, 1e-5);
            assertArrayEquals(new float[] {3 / 13f, 4 / 13f}, a.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {12 / 13f}, b.toFloatArray(), 1e-6f);
            assertEquals(1.0, GradientClipping.globalNorm(List.of(a, b)), 1e-5);
        }
    }

    @Test
    void leavesGradientsBelowTheLimitAlone() {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.create(new float[] {0.3f, -0.4f});
            assertEquals(0.5, GradientClipping.clip(java.util.Arrays.asList(a, null), 2.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray(), 0f);
        }
    }

    @Test
    void trainerClipsBeforeTheOptimizerSeesTheGradients() {
        try (T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root)) {
            List<Double> unclipped = normsSeen(model, 0f);
            List<Double> clipped = normsSeen(model, 1e-3f);
            // The check is only meaningful if the raw gradients are above the limit.
            assertTrue(unclipped.get(0) > 1e-2, "raw first-step gradient norm " + unclipped.get(0));
            for (double norm : clipped) {
                assertEquals(1e-3, norm, 1e-6);
            }
        }
    }

    @Test
    void negativeLimitIsRefusedByName() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> TrainingSettings.defaults(10).withMaxGradNorm(-1f));
        assertTrue(e.getMessage().contains("maxGradNorm is -1.0"), e.getMessage());
    }

    /** Gradient norm the optimizer receives at each of 3 prompt-tuning steps. */
    private static List<Double> normsSeen(T5Model model, float maxGradNorm) {
        List<Double> norms = new ArrayList<>();
        try (SoftPrompt prompt = SoftPrompt.of(PromptInit.random().values(
                new InitContext(10, model.config().dModel, model.embeddingTable(), null, null, 7, s -> {})), 10,
                model.config().dModel, root);
             NormRecorder opt = new NormRecorder(root, norms)) {
            TrainingSettings settings = TrainingSettings.defaults(3).withBatch(8).withEval(0, 0).withMaxGradNorm(maxGradNorm);
            new Trainer(model, Trainable.prompt(prompt, Placement.PREFIX), opt, settings, "accuracy", List.of())
                    .run("clip", SyntheticTask.make("train", 40, 2, 1), null, root);
        }
        return norms;
    }

    /** Records the norm of each gradient it gets (the prompt is the only trained array) and leaves the prompt as it is. */
    private static final class NormRecorder extends Optimizer {
        private final List<Double> norms;

        NormRecorder(NDManager parent, List<Double> norms) {
            super("NormRecorder", parent, 1f, null);
            this.norms = norms;
        }

        @Override
        protected NDArray[] createState(Shape shape, NDArray like) {
            return new NDArray[0];
        }

        @Override
        protected void update(NDArray param, NDArray grad, NDArray[] state, float lr, long t) {
            norms.add(Math.sqrt(grad.square().sum().getFloat()));
        }

        @Override
        public Map<String, Object> settings() {
            return Map.of();
        }
    }
}
