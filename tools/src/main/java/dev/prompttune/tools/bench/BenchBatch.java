package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * A fixed random batch: encoder ids and mask (all real tokens), labels and the teacher-forced decoder inputs.
 *
 * <p>Every op's result belongs to the manager of its first input, so a step works on {@link #copyTo copies} in its
 * own manager: closing that manager frees every intermediate, and memory stays flat across steps.
 */
record BenchBatch(NDArray inputIds, NDArray mask, NDArray labels, NDArray decoderInput) {

    BenchBatch copyTo(NDManager m) {
        return new BenchBatch(copy(inputIds, m), copy(mask, m), copy(labels, m), copy(decoderInput, m));
    }

    static BenchBatch random(NDManager manager, BenchShape s, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[s.batch() * s.encoderLength()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 3 + random.nextInt(s.vocab() - 3);
        }
        long[] labels = new long[s.batch() * s.labelLength()];
        long[] decoderInput = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 3 + random.nextInt(s.vocab() - 3);
            decoderInput[i] = i % s.labelLength() == 0 ? 0 : labels[i - 1];
        }
        return new BenchBatch(
                manager.create(ids, new Shape(s.batch(), s.encoderLength())),
                manager.ones(new Shape(s.batch(), s.encoderLength()), DataType.INT64),
                manager.create(labels, new Shape(s.batch(), s.labelLength())),
                manager.create(decoderInput, new Shape(s.batch(), s.labelLength())));
    }

    /** A random soft prompt [promptLength, d_model], uniform in [-0.5, 0.5), in torch-owned memory. */
    static NDArray prompt(NDManager manager, BenchShape s, long seed) {
        Random random = new Random(seed);
        float[] values = new float[s.promptLength() * s.dModel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() - 0.5f;
        }
        // duplicate(): the optimizer updates the prompt in place and autograd reads it, so it must not live in the
        // Java buffer that create(float[]) wraps.
        try (NDArray blob = manager.create(values, new Shape(s.promptLength(), s.dModel()))) {
            return blob.duplicate();
        }
    }

    private static NDArray copy(NDArray a, NDManager m) {
        NDArray c = a.duplicate();
        c.attach(m);
        return c;
    }
}
