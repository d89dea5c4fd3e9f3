package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmark's modes, by name, in their default order. Each mode builds its own model instance (same seed, so
 * the same weights), so one mode's training cannot change another's weights and each mode's memory is its own.
 *
 * <p>A new mode is one entry in {@link #MODES}: a function from the shared {@link Setup} to a {@link Run} (see
 * {@link InferenceRun}, {@link PromptBackwardRun}, {@link PromptStepRun}, {@link FullStepRun}).
 */
final class BenchModes {

    /** What every mode is built from: the shape, a fixed batch, and the manager modes allocate in. */
    record Setup(BenchShape shape, BenchBatch batch, NDManager manager) {
        T5Model model() {
            return T5Model.random(shape.config(), manager, 42);
        }
    }

    /** One mode's state while it is measured; {@link #step} is what is timed. */
    abstract static class Run implements AutoCloseable {
        final Setup setup;
        final T5Model model;

        Run(Setup setup) {
            this.setup = setup;
            this.model = setup.model();
        }

        /** One timed step; its arrays live in {@code m}, which the caller closes after the step. */
        abstract void step(NDManager m);

        /** Parameters the step differentiates or updates (0 for inference). */
        abstract long trainable();

        /** The model's weights (soft prompts not included). */
        long total() {
            return model.parameterCount();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    static final Map<String, Function<Setup, Run>> MODES = new LinkedHashMap<>();

    static {
        MODES.put("forward", InferenceRun::plain);
        MODES.put("infer", InferenceRun::plain);
        MODES.put("infer_prompt", s -> InferenceRun.prompted(s, 1));
        MODES.put("infer_mixed8", s -> InferenceRun.prompted(s, 8));
        MODES.put("prompt_backward", PromptBackwardRun::new);
        MODES.put("classes5_backward", ClassesBackwardRun::grouped);
        MODES.put("classes5_backward_repeated", ClassesBackwardRun::repeated);
        MODES.put("prompt", PromptStepRun::new);
        MODES.put("full", FullStepRun::new);
    }

    private BenchModes() {}
}
