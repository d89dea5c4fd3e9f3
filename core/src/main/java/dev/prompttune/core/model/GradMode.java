package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch, which is per thread and ON in every new thread. DJL's GradientCollector turns it on
 * while collecting and, on close, puts back what it found; so on a fresh thread (each notebook cell runs on a new
 * one) it stays on after backward, and the optimiser's in-place updates of a leaf that requires grad fail ("a leaf
 * Variable that requires grad is being used in an in-place operation"). Training loops run inside {@link #off()}.
 */
public final class GradMode {

    private GradMode() {}

    /** Restores the previous mode. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Autograd off on this thread until the scope closes. */
    public static Scope off() {
        return set(false);
    }

    /**
     * Autograd on for this thread until the scope closes: what DJL's GradientCollector does, without its
     * process-wide "one collector at a time" flag, so that threads (a cluster's tasks in one executor) can each
     * differentiate their own graph at once. Pair with {@link #backward}.
     */
    public static Scope on() {
        return set(true);
    }

    /** Backpropagates the scalar {@code loss} (d loss / d loss = 1), accumulating into the leaves' gradients. */
    public static void backward(NDArray loss) {
        try (NDArray ones = loss.getManager().ones(loss.getShape(), loss.getDataType()).toDevice(loss.getDevice(), false)) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }
    }

    private static Scope set(boolean enabled) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        return () -> JniUtils.setGradMode(previous);
    }
}
