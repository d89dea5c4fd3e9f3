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
 * <p>The encoder runs once per row; its output is repeated once per class and the decoder scores every (row, class)
 * pair in one pass (row r·C + c is class c of row r), as {@link RankClassifier#score} does without gradients.
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
        int classes = classTargets.length;
        long[][] labelRows = new long[rows * classes][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                labelRows[r * classes + c] = classTargets[c];
            }
        }
        NDArray labels = RankClassifier.Padded.of(labelRows, T5Model.IGNORE_INDEX, m).ids();
        NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded.repeat(0, classes),
                mask.repeat(0, classes), training));
        NDArray scores = T5Model.sequenceLogLikelihood(logits, labels).reshape(rows, classes); // [B, C]
        long[] truthIds = new long[rows];
        for (int r = 0; r < rows; r++) {
            truthIds[r] = truth[r];
        }
        NDArray picked = scores.logSoftmax(1).gather(m.create(truthIds).expandDims(1), 1); // [B, 1]
        return picked.mean().neg();
    }
}
