package dev.prompttune.core.prompt;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;

/**
 * The one trainable thing in prompt tuning: a [p, H] matrix of float32 vectors, kept in float32 even when the
 * model runs in half precision. It owns its array (in a manager of its own) so training steps can scope their
 * temporaries separately and the prompt outlives them.
 */
public final class SoftPrompt implements AutoCloseable {

    private final NDManager manager;
    private final NDArray value;
    private final int length;
    private final int width;

    private SoftPrompt(NDManager manager, NDArray value) {
        this.manager = manager;
        this.value = value;
        this.length = (int) value.getShape().get(0);
        this.width = (int) value.getShape().get(1);
    }

    /**
     * A prompt holding a copy of {@code values} (row-major [length, width]).
     *
     * @param parent manager the prompt's own manager is made from (it decides the device)
     */
    public static SoftPrompt of(float[] values, int length, int width, NDManager parent) {
        if (length < 1) {
            throw new PromptTuneException("prompt length is " + length + "; allowed: length >= 1");
        }
        if (values.length != (long) length * width) {
            throw new IllegalArgumentException("prompt values: " + values.length + " floats for [" + length + ", " + width + "]");
        }
        NDManager manager = parent.newSubManager();
        NDArray array = manager.create(values, new Shape(length, width));
        return new SoftPrompt(manager, array);
    }

    /** The live parameter [p, H], float32 (the optimiser updates it in place). */
    public NDArray value() {
        return value;
    }

    public int length() {
        return length;
    }

    public int width() {
        return width;
    }

    public Device device() {
        return value.getDevice();
    }

    /** A copy of the current values, row-major [p, H]. */
    public float[] toFloats() {
        return dev.prompttune.core.model.Casts.floats(value);
    }

    /** Overwrites the values in place (e.g. restoring the best prompt). */
    public void set(float[] values) {
        if (values.length != (long) length * width) {
            throw new IllegalArgumentException("prompt values: " + values.length + " floats for [" + length + ", " + width + "]");
        }
        dev.prompttune.core.model.Casts.assign(value, values);
    }

    /** An independent copy (for a prompt bank or an ensemble member). */
    public SoftPrompt copy(NDManager parent) {
        return of(toFloats(), length, width, parent);
    }

    @Override
    public void close() {
        manager.close();
    }
}
