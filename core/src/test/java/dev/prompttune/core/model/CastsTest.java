package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class CastsTest {

    /**
     * Overwriting a trainable array (restoring the best prompt, writing the residual prompt's projection) must work
     * whatever the thread's grad mode: a notebook's thread has autograd on, and PyTorch refuses an in-place write to
     * a leaf that requires grad then ("a leaf Variable that requires grad is being used in an in-place operation").
     */
    @Test
    void assignOverwritesATrainableLeafWithAutogradOnAndLeavesTheGradModeAsItWas() {
        try (NDManager m = NDManager.newBaseManager();
             GradMode.Scope on = GradMode.on()) {
            NDArray leaf = m.zeros(new Shape(2, 3), DataType.FLOAT32);
            leaf.setRequiresGradient(true);
            float[] values = {1, 2, 3, 4, 5, 6};
            Casts.assign(leaf, values);
            assertArrayEquals(values, leaf.toFloatArray());
            assertTrue(JniUtils.isGradMode(), "the caller's grad mode is restored");
            try (NDArray halves = m.create(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, new Shape(2, 3)).toType(DataType.FLOAT16, false)) {
                Casts.assign(leaf, halves);
            }
            assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, leaf.toFloatArray());
        }
    }
}
