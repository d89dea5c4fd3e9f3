package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a piece of the forward pass's temporaries as soon as the piece is done, instead of when the caller's
 * step manager closes.
 *
 * <p>Every array an op makes belongs to its input's manager and, without this, lives until the caller closes that
 * manager: an inference forward pass kept every intermediate of all blocks alive at once (about 700 MB at
 * batch 8 × 148 tokens for t5-small), and a training step kept the temporaries that autograd does not need, and
 * the ones it only needs until its backward step, until after the whole backward pass. Closing a DJL handle only
 * drops DJL's reference: what autograd saved for backward stays alive until backward has used it.
 *
 * <p>Only for code whose arrays are all allocated by torch. An array over a Java buffer (DJL's
 * {@code manager.create(float[])}, {@code mul(Number)}) must outlive every backward pass that reads it; the
 * model's such arrays (bucket ids, masks) are made outside the scoped pieces.
 */
final class Scopes {

    private Scopes() {}

    /** Runs {@code piece}, closes every array it created except its result, and hands the result to the caller's scope. */
    static NDArray keepOnly(Supplier<NDArray> piece) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = piece.get();
            NDScope.unregister(out);
            scope.suppressNotUsedWarning();
        }
        NDScope.register(out); // a caller's own NDScope (if any) still owns the result
        return out;
    }
}
