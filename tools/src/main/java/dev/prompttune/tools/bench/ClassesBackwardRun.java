package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.model.T5Model;

/**
 * {@link PromptBackwardRun} with a rank-classification loss ({@code loss 'classes'}) in place of the paper's: every
 * row's {@value #CLASSES} class targets through the decoder in one pass, cross-entropy over their scores.
 *
 * <p>Two ways to feed the decoder, timed side by side: {@code grouped}, what training and scoring do
 * ({@link T5Model#decodeGrouped}: each encoder row's cross-attention keys and values projected once), and the form it
 * replaced on 2026-12-06, the encoder output and mask repeated once per class before the decoder (each class
 * projecting, and back-propagating through, its own copy).
 */
final class ClassesBackwardRun extends PromptBackwardRun {

    static final int CLASSES = 5;

    private final boolean grouped;

    private ClassesBackwardRun(BenchModes.Setup s, boolean grouped) {
        super(s);
        this.grouped = grouped;
    }

    static ClassesBackwardRun grouped(BenchModes.Setup s) {
        return new ClassesBackwardRun(s, true);
    }

    static ClassesBackwardRun repeated(BenchModes.Setup s) {
        return new ClassesBackwardRun(s, false);
    }

    @Override
    NDArray loss(BenchBatch b, NDArray encoded, NDArray mask, NDManager m) {
        BenchShape shape = setup.shape();
        // Each row's class c target: the batch's label row shifted by c ids, so the classes differ. [B·C, L]
        NDArray labels = b.labels().expandDims(1).repeat(1, CLASSES)
                .add(m.arange(0, CLASSES, 1, DataType.INT64).reshape(1, CLASSES, 1)).mod(shape.vocab())
                .reshape((long) shape.batch() * CLASSES, shape.labelLength());
        NDArray decoderInput = model.shiftRight(labels);
        NDArray decoded = grouped
                ? model.decodeGrouped(decoderInput, encoded, mask, CLASSES, true)
                : model.decode(decoderInput, encoded.repeat(0, CLASSES), mask.repeat(0, CLASSES), true);
        NDArray scores = T5Model.sequenceLogLikelihood(model.logits(decoded), labels).reshape(shape.batch(), CLASSES);
        return scores.logSoftmax(1).get(":, 0").mean().neg(); // class 0 as every row's truth
    }
}
