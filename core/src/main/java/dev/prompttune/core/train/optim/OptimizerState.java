package dev.prompttune.core.train.optim;

import java.util.Map;

/**
 * An optimizer's whole state as plain values, for a run's checkpoint: restored into a fresh optimizer of the same
 * kind and settings ({@link Optimizer#restore}), its next step is the step the original would have made, bit for bit.
 *
 * @param optimizer the optimizer's name ({@link Optimizer#name()}), checked on restore
 * @param steps completed steps ({@link Optimizer#stepCount()}: the learning-rate schedule's position)
 * @param slots each updated parameter's state by key ({@code "#i"}: the i-th parameter of the list form), in the
 *              order the parameters were first updated
 */
public record OptimizerState(String optimizer, int steps, Map<String, Slot> slots) {

    /**
     * One parameter's state.
     *
     * @param updates how many updates the parameter has had (Adafactor's beta2 and AdamW's bias correction use it)
     * @param arrays the state arrays' values, row-major float32, in the optimizer's order (Adafactor: row and column
     *               factors, or the full second moment; then momentum when beta1 is set. AdamW: m, v)
     * @param shapes each state array's shape
     */
    public record Slot(long updates, float[][] arrays, long[][] shapes) {}
}
