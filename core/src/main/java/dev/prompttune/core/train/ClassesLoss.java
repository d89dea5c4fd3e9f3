package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;

/**
 * {@link TrainingLoss#CLASSES}: each row's classes scored as rank classification scores them (log-likelihood of the
 * class's target, eos included), then cross-entropy over the classes: mean over rows of
 * −log softmax_c(score[r][c])[truth[r]].
 *
 * <p>The encoder runs once per row; the decoder scores every (row, class) pair in one pass, the pass
 * {@link RankClassifier#score} makes without gradients ({@link RankClassifier#decodeEveryClass}).
 */
final class ClassesLoss {

    private ClassesLoss() {}

    /**
     * @param encoded [B, T, H] encoder output (prompt included)
     * @param mask [B, T] the encoder's attention mask
     * @param classTargets [C][L_c] each class's target ids (eos included)
     * @param truth [B] each row's class index
     * @return scalar loss
     */
    static NDArray of(T5Model model, NDArray encoded, NDArray mask, long[][] classTargets, int[] truth, boolean training,
                      NDManager m) {
        int rows = truth.length;
        RankClassifier.EveryClass decoded = RankClassifier.decodeEveryClass(model, encoded, mask, classTargets, training, m);
        NDArray scores = T5Model.sequenceLogLikelihood(decoded.logits(), decoded.labels())
                .reshape(rows, classTargets.length); // [B, C]
        long[] truthIds = new long[rows];
        for (int r = 0; r < rows; r++) {
            truthIds[r] = truth[r];
        }
        NDArray picked = scores.logSoftmax(1).gather(m.create(truthIds).expandDims(1), 1); // [B, 1]
        return picked.mean().neg();
    }
}
