package dev.prompttune.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.PromptLayout;
import java.util.List;

/**
 * The original gradient probe: a prompt concatenated by hand (no {@link PromptLayout}), training mode, and
 * dL/dP for a fresh copy of the prompt each step; no optimizer. The loss is the paper's (the labels' cross-entropy);
 * {@link ClassesBackwardRun} overrides {@link #loss} with the classes loss.
 */
class PromptBackwardRun extends BenchModes.Run {
    private final NDArray prompt;

    PromptBackwardRun(BenchModes.Setup s) {
        super(s);
        prompt = BenchBatch.prompt(s.manager(), s.shape(), 100);
    }

    @Override
    void step(NDManager m) {
        BenchShape shape = setup.shape();
        BenchBatch b = setup.batch().copyTo(m);
        NDArray p = prompt.duplicate();
        p.attach(m);
        p.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray tokens = model.embed(b.inputIds());
            NDArray batchPrompt = p.expandDims(0).repeat(0, shape.batch());
            NDArray embeddings = NDArrays.concat(new NDList(batchPrompt, tokens), 1);
            NDArray mask = m.ones(new Shape(shape.batch(), shape.promptLength()), DataType.INT64).concat(b.mask(), 1);
            NDArray encoded = model.encode(embeddings, mask, true);
            collector.backward(loss(b, encoded, mask, m));
        }
        p.getGradient().getFloat(0, 0);
    }

    /**
     * The scalar loss of one step, from the batch and its encoding.
     *
     * @param encoded [B, P + T, H] encoder output, prompt included
     * @param mask [B, P + T] its attention mask
     */
    NDArray loss(BenchBatch b, NDArray encoded, NDArray mask, NDManager m) {
        NDArray logits = model.logits(model.decode(b.decoderInput(), encoded, mask, true));
        return T5Model.loss(logits, b.labels());
    }

    @Override
    long trainable() {
        return prompt.size();
    }

    @Override
    public void close() {
        prompt.close();
        super.close();
    }
}
