package dev.prompttune.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A full model-tuning step (the paper's baseline): every weight trainable, no prompt, forward in training mode,
 * backward to all weights, one Adafactor (paper settings) update of every weight, gradients zeroed.
 */
final class FullStepRun extends BenchModes.Run {
    private final List<NDArray> params = new ArrayList<>();
    private final Optimizer optimizer;

    FullStepRun(BenchModes.Setup s) {
        super(s);
        model.setTrainable(true);
        model.weights().all().values().forEach(d -> params.add(d.parameter().getArray()));
        optimizer = Adafactor.paper(0.3f).build(s.manager());
    }

    @Override
    void step(NDManager m) {
        BenchBatch b = setup.batch().copyTo(m);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray encoded = model.encode(model.embed(b.inputIds()), b.mask(), true);
            NDArray logits = model.logits(model.decode(b.decoderInput(), encoded, b.mask(), true));
            collector.backward(T5Model.loss(logits, b.labels()));
        }
        List<NDArray> grads = new ArrayList<>(params.size());
        for (NDArray p : params) {
            grads.add(p.getGradient());
        }
        optimizer.step(params, grads);
        grads.forEach(NDArray::close);
        Optimizer.zeroGradients(params);
    }

    @Override
    long trainable() {
        return model.parameterCount();
    }

    @Override
    public void close() {
        optimizer.close();
        super.close();
    }
}
