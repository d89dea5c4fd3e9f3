package dev.prompttune.core.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.model.Casts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A first-order optimizer that updates parameters in place.
 *
 * <p>Parameters are identified by position ({@link #step(List, List)}) or by name ({@link #step(Map, Map)}); use one
 * form consistently for one optimizer. A parameter keeps its identity across steps: its state (second moments,
 * momentum) is created on its first update and must keep its shape. The update writes into the caller's parameter
 * array ({@code subi}/{@code muli}), so the array object the model holds stays the same. Call {@code step} outside a
 * {@code GradientCollector} (DJL records no gradient there).
 *
 * <p>Memory: the state lives in a sub-manager of the parent given at construction, owned by the optimizer and freed
 * by {@link #close()}. Each step's temporaries are created inside an {@link NDScope} and closed before
 * {@code step} returns, whichever manager they belong to, so memory stays flat over any number of steps.
 *
 * <p>State and arithmetic are float32 whatever the parameter's dtype; a float16/bfloat16 parameter gets the float32
 * result rounded back into it.
 */
public abstract class Optimizer implements AutoCloseable {

    /** One parameter's state. */
    static final class Slot {
        final Shape shape;
        final NDArray[] state;
        /** How many updates this parameter has had (its own step count, as in torch's per-parameter state). */
        long updates;

        Slot(Shape shape, NDArray[] state) {
            this.shape = shape;
            this.state = state;
        }
    }

    private final String name;
    private final NDManager manager;
    private final float lr;
    private final LearningRateSchedule schedule;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private int stepCount;
    private boolean closed;

    /**
     * @param parent the optimizer creates (and on {@link #close()} closes) a sub-manager of it for its state
     */
    protected Optimizer(String name, NDManager parent, float lr, LearningRateSchedule schedule) {
        this.name = name;
        this.lr = lr;
        this.schedule = schedule == null ? LearningRateSchedule.constant() : schedule;
        this.manager = parent.newSubManager();
        this.manager.setName(name + " state");
    }

    /** One update of every parameter (in place), then the step counter advances. A {@code null} gradient skips its parameter. */
    public final void step(List<NDArray> params, List<NDArray> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(params.size() + " parameters but " + grads.size() + " gradients");
        }
        List<String> keys = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            keys.add("#" + i);
        }
        run(keys, params, grads);
    }

    /** One update of every named parameter (in place); a name missing from {@code grads} (or mapped to null) is skipped. */
    public final void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
        List<String> keys = new ArrayList<>(params.keySet());
        List<NDArray> ps = new ArrayList<>(keys.size());
        List<NDArray> gs = new ArrayList<>(keys.size());
        for (String key : keys) {
            ps.add(params.get(key));
            gs.add(grads.get(key));
        }
        for (String key : grads.keySet()) {
            if (!params.containsKey(key)) {
                throw new IllegalArgumentException("gradient for unknown parameter " + key);
            }
        }
        run(keys, ps, gs);
    }

    /** One update of a single parameter (e.g. the prompt), same as {@code step(List.of(param), List.of(grad))}. */
    public final void step(NDArray param, NDArray grad) {
        run(List.of("#0"), List.of(param), java.util.Collections.singletonList(grad));
    }

    private void run(List<String> keys, List<NDArray> params, List<NDArray> grads) {
        if (closed) {
            throw new IllegalStateException(name + " optimizer is closed");
        }
        Slot[] prepared = new Slot[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            NDArray param = params.get(i);
            NDArray grad = grads.get(i);
            if (grad == null) {
                continue;
            }
            if (!param.getShape().equals(grad.getShape())) {
                throw new IllegalArgumentException("parameter " + keys.get(i) + " has shape " + param.getShape()
                        + " but its gradient has shape " + grad.getShape());
            }
            prepared[i] = slot(keys.get(i), param);
        }
        float lrNow = lr * schedule.at(stepCount);
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < keys.size(); i++) {
                if (prepared[i] == null) {
                    continue;
                }
                Slot slot = prepared[i];
                slot.updates++;
                NDArray param = params.get(i);
                NDArray grad = grads.get(i).toType(DataType.FLOAT32, false);
                if (param.getDataType() == DataType.FLOAT32) {
                    update(param, grad, slot.state, lrNow, slot.updates);
                } else {
                    NDArray master = param.toType(DataType.FLOAT32, true);
                    update(master, grad, slot.state, lrNow, slot.updates);
                    param.set(new NDIndex("..."), master.toType(param.getDataType(), false));
                }
            }
            scope.suppressNotUsedWarning();
        }
        stepCount++;
    }

    private Slot slot(String key, NDArray param) {
        Slot slot = slots.get(key);
        if (slot == null) {
            NDArray[] state = createState(param.getShape(), param);
            for (NDArray s : state) {
                // State must outlive any NDScope the caller has open around this step.
                NDScope.unregister(s);
            }
            slot = new Slot(param.getShape(), state);
            slots.put(key, slot);
        } else if (!slot.shape.equals(param.getShape())) {
            throw new IllegalArgumentException("parameter " + key + " had shape " + slot.shape + " and now has "
                    + param.getShape());
        }
        return slot;
    }

    /**
     * Creates one parameter's state arrays (float32, in {@link #manager()}, on the parameter's device).
     *
     * @param like the parameter (for its device)
     */
    protected abstract NDArray[] createState(Shape shape, NDArray like);

    /**
     * Updates {@code param} (float32) in place from {@code grad} (float32) and the state; runs inside an
     * {@link NDScope}, so temporaries need no closing, and must update the state in place.
     *
     * @param lr the learning rate for this step (base lr times the schedule)
     * @param t this parameter's 1-based update count
     */
    protected abstract void update(NDArray param, NDArray grad, NDArray[] state, float lr, long t);

    /** Zeros of the given shape in float32 on {@code like}'s device, owned by the optimizer. */
    protected final NDArray zeros(Shape shape, NDArray like) {
        return manager.zeros(shape, DataType.FLOAT32, like.getDevice());
    }

    /** The state arrays of a parameter ({@code "#i"} for the list form, its name for the map form), or null. For tests. */
    NDArray[] stateOf(String key) {
        Slot slot = slots.get(key);
        return slot == null ? null : slot.state;
    }

    /**
     * A copy of the whole state (step count, each parameter's update count and state arrays), e.g. for a checkpoint.
     * Parameters of the list form only ({@code "#i"} keys), as the trainer uses.
     */
    public final OptimizerState state() {
        Map<String, OptimizerState.Slot> out = new LinkedHashMap<>();
        slots.forEach((key, slot) -> {
            float[][] arrays = new float[slot.state.length][];
            long[][] shapes = new long[slot.state.length][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = slot.state[i].toFloatArray(); // float32 by construction (zeros)
                shapes[i] = slot.state[i].getShape().getShape();
            }
            out.put(key, new OptimizerState.Slot(slot.updates, arrays, shapes));
        });
        return new OptimizerState(name, stepCount, out);
    }

    /**
     * Replaces this optimizer's state with {@code saved} (from {@link #state()} of an optimizer of the same kind and
     * settings), so its next step equals the saved optimizer's next step. {@code params} are the list-form parameters
     * the state belongs to ({@code "#i"} is {@code params.get(i)}): each slot's arrays are made as a first update
     * makes them, then filled, so a saved state of the wrong kind or shape fails here with a message naming it.
     */
    public final void restore(OptimizerState saved, List<NDArray> params) {
        if (!saved.optimizer().equals(name)) {
            throw new IllegalArgumentException("optimizer state is " + saved.optimizer() + "'s; this optimizer is " + name);
        }
        Map<String, Slot> restored = new LinkedHashMap<>();
        saved.slots().forEach((key, s) -> {
            int index = key.startsWith("#") ? parseIndex(key) : -1;
            if (index < 0 || index >= params.size()) {
                throw new IllegalArgumentException("optimizer state for parameter " + key + "; allowed: #0 to #"
                        + (params.size() - 1));
            }
            NDArray param = params.get(index);
            NDArray[] state = createState(param.getShape(), param);
            if (state.length != s.arrays().length) {
                throw new IllegalArgumentException("optimizer state of parameter " + key + " has " + s.arrays().length
                        + " arrays; " + name + " keeps " + state.length + " for shape " + param.getShape());
            }
            for (int i = 0; i < state.length; i++) {
                NDScope.unregister(state[i]);
                if (!state[i].getShape().equals(new Shape(s.shapes()[i]))) {
                    throw new IllegalArgumentException("optimizer state " + i + " of parameter " + key + " has shape "
                            + new Shape(s.shapes()[i]) + "; " + name + " keeps " + state[i].getShape() + " for "
                            + param.getShape());
                }
                Casts.assign(state[i], s.arrays()[i]);
            }
            Slot slot = new Slot(param.getShape(), state);
            slot.updates = s.updates();
            restored.put(key, slot);
        });
        slots.values().forEach(slot -> java.util.Arrays.stream(slot.state).forEach(NDArray::close));
        slots.clear();
        slots.putAll(restored);
        stepCount = saved.steps();
    }

    private static int parseIndex(String key) {
        try {
            return Integer.parseInt(key.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Completed steps. */
    public final int stepCount() {
        return stepCount;
    }

    /** The base learning rate. */
    public final float learningRate() {
        return lr;
    }

    /** The learning rate the next step will use: base lr times {@code schedule.at(stepCount())}. */
    public final float currentLearningRate() {
        return lr * schedule.at(stepCount);
    }

    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /** Parameters that have state (had at least one update). */
    public final int parameterCount() {
        return slots.size();
    }

    /** Number of state arrays held. */
    public final int stateTensorCount() {
        int count = 0;
        for (Slot slot : slots.values()) {
            count += slot.state.length;
        }
        return count;
    }

    /** Number of float32 elements of state held. */
    public final long stateElementCount() {
        long count = 0;
        for (Slot slot : slots.values()) {
            for (NDArray s : slot.state) {
                count += s.getShape().size();
            }
        }
        return count;
    }

    /** The manager that owns the state (a sub-manager of the parent passed in). */
    public final NDManager manager() {
        return manager;
    }

    /** The optimizer's name, e.g. {@code Adafactor}. */
    public final String name() {
        return name;
    }

    /** Every hyper-parameter (insertion-ordered, for run records), including the schedule. */
    public abstract Map<String, Object> settings();

    /** One line: name and every setting. */
    public String describe() {
        StringBuilder out = new StringBuilder(name).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : settings().entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(e.getKey()).append('=').append(e.getValue());
        }
        return out.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Sets the gradients of these parameters to zero in place. DJL's PyTorch engine accumulates gradients across
     * {@code GradientCollector}s (it does not zero them), so a training loop calls this after each step.
     */
    public static void zeroGradients(Collection<NDArray> params) {
        try (NDScope scope = new NDScope()) {
            for (NDArray p : params) {
                if (p.hasGradient()) {
                    p.getGradient().set(new NDIndex("..."), 0f);
                }
            }
            scope.suppressNotUsedWarning();
        }
    }

    /** Frees the state. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            slots.clear();
            manager.close();
        }
    }
}
