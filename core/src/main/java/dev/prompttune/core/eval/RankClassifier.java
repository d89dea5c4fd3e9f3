package dev.prompttune.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.PromptLayout;

/**
 * Rank classification: for each example, the log-likelihood the model gives each class's target text (its
 * tokens plus eos, summed), and the prediction is the best-scoring class. Robust for small models that do not
 * yet generate the exact label words.
 *
 * <p>Per batch, the encoder runs once; its output is repeated once per class and the decoder scores all
 * (example, class) pairs in one pass.
 */
public final class RankClassifier {

    private RankClassifier() {}

    /**
     * @param inputs per example, encoder input ids (eos included)
     * @param classTargets per class, target ids (eos included)
     * @return scores [examples][classes]
     */
    public static float[][] score(T5Model model, EncoderInput input, long[][] inputs, long[][] classTargets,
                                  int batchSize, NDManager parent) {
        int classes = classTargets.length;
        float[][] scores = new float[inputs.length][];
        for (int start = 0; start < inputs.length; start += batchSize) {
            int rows = Math.min(batchSize, inputs.length - start);
            try (NDManager m = parent.newSubManager()) {
                long[][] slice = new long[rows][];
                System.arraycopy(inputs, start, slice, 0, rows);
                Padded enc = Padded.of(slice, 0, m);
                PromptLayout.Combined combined = input.build(model, enc.ids, enc.mask);
                NDArray hidden = model.encode(combined.embeddings(), combined.mask(), false);
                // Repeat each example's encoding once per class: row r·C + c scores class c for example r.
                NDArray repeated = hidden.repeat(0, classes);
                NDArray repeatedMask = combined.mask().repeat(0, classes);
                long[][] labelRows = new long[rows * classes][];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < classes; c++) {
                        labelRows[r * classes + c] = classTargets[c];
                    }
                }
                NDArray labels = Padded.of(labelRows, T5Model.IGNORE_INDEX, m).ids;
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), repeated, repeatedMask, false));
                float[] flat = sequenceLogLikelihood(logits, labels).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    scores[start + r] = new float[classes];
                    System.arraycopy(flat, r * classes, scores[start + r], 0, classes);
                }
            }
        }
        return scores;
    }

    /** Σ log p(label token) over positions whose label is not ignored. logits [N, L, V], labels [N, L] → [N]. */
    static NDArray sequenceLogLikelihood(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray valid = labels.neq(T5Model.IGNORE_INDEX);
        NDArray safe = labels.mul(valid.toType(DataType.INT64, false));
        NDArray picked = logProbs.gather(safe.expandDims(-1), -1).squeeze(-1);
        return picked.mul(valid.toType(DataType.FLOAT32, false)).sum(new int[] {1});
    }

    public static int[] argmax(float[][] scores) {
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Right-padded id rows as [N, T] ids and mask. */
    public record Padded(NDArray ids, NDArray mask) {
        public static Padded of(long[][] rows, long pad, NDManager m) {
            int length = 1;
            for (long[] r : rows) {
                length = Math.max(length, r.length);
            }
            long[] ids = new long[rows.length * length];
            long[] mask = new long[ids.length];
            for (int i = 0; i < rows.length; i++) {
                for (int t = 0; t < length; t++) {
                    boolean real = t < rows[i].length;
                    ids[i * length + t] = real ? rows[i][t] : pad;
                    mask[i * length + t] = real ? 1 : 0;
                }
            }
            Shape shape = new Shape(rows.length, length);
            return new Padded(m.create(ids, shape), m.create(mask, shape));
        }
    }
}
