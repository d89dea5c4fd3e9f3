package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Clipping by global norm (as {@code torch.nn.utils.clip_grad_norm_}): the L2 norm is taken over every gradient
 * together, and when it exceeds the limit all of them are scaled by the same factor {@code max / (norm + 1e-6)}, so the
 * update keeps its direction and only its size is capped.
 */
final class GradientClipping {

    private GradientClipping() {
    }

    /** The L2 norm of all gradients together (null entries are skipped), summed in double. */
    static double globalNorm(List<NDArray> grads) {
        double sumOfSquares = 0;
        try (NDScope scope = new NDScope()) {
            for (NDArray g : grads) {
                if (g != null) {
                    sumOfSquares += g.toType(DataType.FLOAT32, false).square().sum().getFloat();
                }
            }
            scope.suppressNotUsedWarning();
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Scales the gradients in place so that their global norm is at most {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    static double clip(List<NDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1 && Double.isFinite(norm)) {
            for (NDArray g : grads) {
                if (g != null) {
                    g.muli((float) factor);
                }
            }
        }
        return norm;
    }
}
