package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Base of the T5 blocks: a DJL block whose weights are declared under Hugging Face names in a shared
 * {@link T5Weights}. The blocks' typed {@code forward} methods do the work; DJL's generic
 * {@link #forwardInternal} is wired to them where the inputs fit an {@link NDList}.
 *
 * <p>Intermediate arrays are always created from the input's manager (input first, weight second), so a caller
 * that scopes its inputs in a sub-manager frees every intermediate with it.
 */
abstract class T5Module extends AbstractBlock {

    protected final T5Weights weights;

    T5Module(T5Weights weights) {
        this.weights = weights;
    }

    /** Declares a weight under its full Hugging Face name and registers it with this DJL block. */
    protected Parameter weight(String name, long... shape) {
        return addParameter(weights.declare(name, shape));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is called through its typed forward method");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** y = x · Wᵀ for a torch-layout weight [out, in]; x [..., in] → [..., out] (see {@link Linears} for how). */
    protected static NDArray linear(NDArray x, Parameter weight) {
        return Linears.apply(x, weight.getArray());
    }
}
