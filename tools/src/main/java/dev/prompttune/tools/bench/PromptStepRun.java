package dev.prompttune.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.List;

/**
 * A full prompt-tuning training step, as the trainer runs one: prompt prepended with {@link PromptLayout},
 * forward in training mode (dropout on), backward to the prompt only (weights frozen), one Adafactor update
 * (the paper's settings, lr 0.3), gradients zeroed. The prompt and the optimizer state persist across steps.
 */
final class PromptStepRun extends BenchModes.Run {
    private final NDArray prompt;
    private final Optimizer optimizer;

    PromptStepRun(BenchModes.Setup s) {
        super(s);
        prompt = BenchBatch.prompt(s.manager(), s.shape(), 100);
        prompt.setRequiresGradient(true);
        optimizer = Adafactor.paper(0.3f).build(s.manager());
    }

    @Override
    void step(NDManager m) {
        BenchBatch b = setup.batch().copyTo(m);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            PromptLayout.Combined c = PromptLayout.combine(model.embed(b.inputIds()), b.mask(), prompt, Placement.PREFIX);
            NDArray encoded = model.encode(c.embeddings(), c.mask(), true);
            NDArray logits = model.logits(model.decode(b.decoderInput(), encoded, c.mask(), true));
            collector.backward(T5Model.loss(logits, b.labels()));
        }
        try (NDArray grad = prompt.getGradient()) {
            optimizer.step(prompt, grad);
        }
        Optimizer.zeroGradients(List.of(prompt));
    }

    @Override
    long trainable() {
        return prompt.size();
    }

    @Override
    public void close() {
        optimizer.close();
        prompt.close();
        super.close();
    }
}
