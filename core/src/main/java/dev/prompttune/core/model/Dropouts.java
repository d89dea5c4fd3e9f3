package dev.prompttune.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Training-mode dropout: y = x · m / (1 − p) with m ~ Bernoulli(1 − p) per element, as torch's dropout.
 *
 * <p>Why not torch's: on CPUs other than Intel, torch draws the mask with {@code bernoulli_} one element at a time
 * from a Mersenne twister, single-threaded (its MKL path is Intel-only): measured 14 ms for one [8, 148, 2048]
 * feed-forward hidden layer, about 10% of a prompt-tuning step on one thread and more on two, since it does not
 * parallelise. Here the mask (already scaled: 0 or 1/(1 − p)) is drawn in Java from a {@link SplittableRandom},
 * two 32-bit draws per {@code nextLong}, straight into a tensor torch allocated (through a direct-buffer view of
 * its memory; autograd keeps the mask for backward, so it must be torch-owned, not a Java buffer): about 5 ms for
 * the same layer.
 *
 * <p>Reproducibility: inside a {@link DropoutScope} (a training micro-batch) each mask's seed is the scope's next seed,
 * so the masks depend on the scope's seed alone; outside one, each mask's seed is drawn from torch's generator, so
 * {@code Engine.setRandomSeed} still fixes every mask. The drop probability is p rounded up to a multiple of 2⁻³²
 * (off by under 1e-9).
 *
 * <p>Only for float32 arrays on the CPU; anything else (half precision, GPU, where torch's kernels are fast) uses
 * torch's dropout (inside a scope, after seeding torch's generator from the scope: one thread at a time there).
 */
final class Dropouts {

    private Dropouts() {}

    /** Dropout of x at {@code rate} when training; x itself otherwise. */
    static NDArray apply(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        boolean cpuFloat = x.getDataType() == DataType.FLOAT32 && Device.Type.CPU.equals(x.getDevice().getDeviceType());
        if (!cpuFloat || x.getShape().size() > Integer.MAX_VALUE / Float.BYTES) {
            DropoutScope scope = DropoutScope.current();
            if (scope != null) {
                ai.djl.pytorch.jni.JniUtils.setSeed(scope.nextSeed());
            }
            return Dropout.dropout(x, rate, true).singletonOrThrow();
        }
        NDArray mask = mask(x.getManager(), x.getShape(), rate);
        NDArray out = x.mul(mask);
        mask.close(); // autograd keeps its own reference for backward; this lets backward free it once used
        return out;
    }

    /** A float32 mask of {@code shape}: 0 with probability {@code rate}, else 1/(1 − rate); torch-owned. */
    static NDArray mask(NDManager manager, Shape shape, float rate) {
        long seed = seed(manager);
        NDArray mask = manager.create(shape, DataType.FLOAT32); // torch allocates; Java fills it in place
        fill(mask.toByteBuffer(true).asFloatBuffer(), Math.toIntExact(shape.size()), rate, seed);
        return mask;
    }

    private static long seed(NDManager manager) {
        DropoutScope scope = DropoutScope.current();
        if (scope != null) {
            return scope.nextSeed();
        }
        try (NDArray seed = manager.randomInteger(0, Long.MAX_VALUE, new Shape(1), DataType.INT64)) {
            return seed.getLong(0);
        }
    }

    private static void fill(FloatBuffer out, int n, float rate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long threshold = (long) Math.ceil(rate * 4294967296.0); // drop when a uniform 32-bit draw is below this
        float scale = 1f / (1f - rate);
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = random.nextLong();
            out.put(i, (bits & 0xffffffffL) >= threshold ? scale : 0f);
            out.put(i + 1, (bits >>> 32) >= threshold ? scale : 0f);
        }
        if (i < n) {
            out.put(i, (random.nextLong() & 0xffffffffL) >= threshold ? scale : 0f);
        }
    }
}
