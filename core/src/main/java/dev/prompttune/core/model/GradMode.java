package dev.prompttune.core.model;

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
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return () -> JniUtils.setGradMode(previous);
    }
}
