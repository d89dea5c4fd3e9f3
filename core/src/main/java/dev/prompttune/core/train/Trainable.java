package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import dev.prompttune.core.model.Casts;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.model.T5Weights;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.prompt.ResidualReparam;
import dev.prompttune.core.prompt.SoftPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run updates: the soft prompt alone (prompt tuning) or every model weight (the model-tuning
 * baseline). The trainer is the same for both; only the parameter list, the encoder input and how the best
 * state is kept differ.
 */
public interface Trainable {

    /** The arrays the optimiser updates in place. */
    List<NDArray> parameters();

    /** How ids become encoder input (with or without the prompt). */
    EncoderInput input();

    /** A copy of the current values (to keep the best). */
    float[][] snapshot();

    /** Restores values from a snapshot. */
    void restore(float[][] snapshot);

    /** Number of trainable scalars. */
    long count();

    /** Prompt tuning: only P is trainable; the model stays frozen. */
    static Trainable prompt(SoftPrompt prompt, Placement placement) {
        return new Trainable() {
            @Override
            public List<NDArray> parameters() {
                return List.of(prompt.value());
            }

            @Override
            public EncoderInput input() {
                return EncoderInput.prompted(prompt, placement);
            }

            @Override
            public float[][] snapshot() {
                return new float[][] {prompt.toFloats()};
            }

            @Override
            public void restore(float[][] snapshot) {
                prompt.set(snapshot[0]);
            }

            @Override
            public long count() {
                return (long) prompt.length() * prompt.width();
            }
        };
    }

    /**
     * Residual Prompt Tuning: P and the reparameterising MLP are trainable; the encoder sees P' = P + MLP(P)
     * ({@link ResidualReparam#project}), computed afresh in every forward pass; the model stays frozen.
     */
    static Trainable residualPrompt(SoftPrompt prompt, ResidualReparam reparam, Placement placement) {
        List<NDArray> params = new ArrayList<>();
        params.add(prompt.value());
        params.addAll(reparam.parameters());
        return new Trainable() {
            @Override
            public List<NDArray> parameters() {
                return params;
            }

            @Override
            public EncoderInput input() {
                return (model, ids, mask) -> PromptLayout.combine(model.embed(ids), mask,
                        reparam.project(prompt.value(), ids.getManager()), placement);
            }

            @Override
            public float[][] snapshot() {
                float[][] mlp = reparam.snapshot();
                float[][] out = new float[mlp.length + 1][];
                out[0] = prompt.toFloats();
                System.arraycopy(mlp, 0, out, 1, mlp.length);
                return out;
            }

            @Override
            public void restore(float[][] snapshot) {
                prompt.set(snapshot[0]);
                reparam.restore(java.util.Arrays.copyOfRange(snapshot, 1, snapshot.length));
            }

            @Override
            public long count() {
                return (long) prompt.length() * prompt.width() + reparam.count();
            }
        };
    }

    /** Model tuning: every weight trainable, no prompt (the caller unfreezes the model). */
    static Trainable model(T5Model model) {
        List<NDArray> params = new ArrayList<>();
        for (T5Weights.Declared d : model.weights().all().values()) {
            params.add(d.parameter().getArray());
        }
        return new Trainable() {
            @Override
            public List<NDArray> parameters() {
                return params;
            }

            @Override
            public EncoderInput input() {
                return EncoderInput.plain();
            }

            @Override
            public float[][] snapshot() {
                float[][] out = new float[params.size()][];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Casts.floats(params.get(i)); // no float32 copy left in the model per step
                }
                return out;
            }

            @Override
            public void restore(float[][] snapshot) {
                for (int i = 0; i < snapshot.length; i++) {
                    Casts.assign(params.get(i), snapshot[i]);
                }
            }

            @Override
            public long count() {
                return model.parameterCount();
            }
        };
    }
}
