package dev.prompttune.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.PromptLayout;
import java.util.Arrays;

/**
 * Rank classification: for each example, the log-likelihood the model gives each class's target text (its
 * tokens plus eos, summed), and the prediction is the best-scoring class. Robust for small models that do not
 * yet generate the exact label words.
 *
 * <p>Per batch, the encoder runs once and the decoder scores all (example, class) pairs in one pass, each class's
 * target reading its example's encoding ({@link T5Model#decodeGrouped}). Batches group inputs of similar length
 * ({@link LengthBatches}).
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
        // Autograd off: on a thread where it is on (a notebook cell) and with a prompt that requires grad (after
        // training), every batch would keep all its intermediates for a backward pass that never comes.
        try (GradMode.Scope noGrad = GradMode.off()) {
            for (int[] batch : LengthBatches.of(inputs, batchSize)) {
                int rows = batch.length;
                try (NDManager m = parent.newSubManager()) {
                    long[][] slice = new long[rows][];
                    for (int r = 0; r < rows; r++) {
                        slice[r] = inputs[batch[r]];
                    }
                    Padded enc = Padded.of(slice, 0, m);
                    PromptLayout.Combined combined = input.build(model, enc.ids, enc.mask);
                    NDArray hidden = model.encode(combined.embeddings(), combined.mask(), false);
                    EveryClass decoded = decodeEveryClass(model, hidden, combined.mask(), classTargets, false, m);
                    double[] flat = sequenceLogLikelihoods(decoded.logits(), decoded.labels());
                    for (int r = 0; r < rows; r++) {
                        float[] row = new float[classes];
                        for (int c = 0; c < classes; c++) {
                            row[c] = (float) flat[r * classes + c];
                        }
                        scores[batch[r]] = row;
                    }
                }
            }
        }
        return scores;
    }

    /**
     * Every (row, class) pair through the decoder at once: row r·C + c of the result is class c of row r, and every
     * class of a row reads that row's encoding, whose cross-attention keys and values are projected once, not once
     * per class (the copies took about a fifth of a 5-class training step on {@code t5-mini-wide}: 614 against 479
     * ms, README "Benchmark"). Scoring ({@link #score}) and the classes loss of training ({@code loss 'classes'})
     * both score the classes through this one pass.
     *
     * @param hidden [B, T, H] encoder output
     * @param mask [B, T] its attention mask
     * @param classTargets [C][L_c] each class's target ids (eos included)
     * @param training dropout on (training) or off (scoring)
     */
    public static EveryClass decodeEveryClass(T5Model model, NDArray hidden, NDArray mask, long[][] classTargets,
                                              boolean training, NDManager m) {
        long[][][] everyRow = new long[(int) hidden.getShape().get(0)][][];
        Arrays.fill(everyRow, classTargets);
        return decodeEveryClass(model, hidden, mask, everyRow, training, m);
    }

    /**
     * The same pass for rows of different tasks (a {@code PromptBank} batch mixing tasks): row r's classes are
     * {@code classTargets[r]}. Every row gets G pairs, G the most classes any row has: a row with fewer is padded with
     * one-token targets (eos alone), whose scores mean nothing and which callers skip. Padding costs a few decoder
     * positions; one projection of each row's encoding instead of one per class saves more (README "Benchmark").
     *
     * @param classTargets [B][C_r][L] each row's classes' target ids (eos included)
     * @return pair r·G + c is class c of row r, for c &lt; C_r
     */
    public static EveryClass decodeEveryClass(T5Model model, NDArray hidden, NDArray mask, long[][][] classTargets,
                                              boolean training, NDManager m) {
        int rows = classTargets.length;
        int group = 0;
        for (long[][] row : classTargets) {
            group = Math.max(group, row.length);
        }
        long[] filler = {model.config().eosTokenId};
        long[][] labelRows = new long[rows * group][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < group; c++) {
                labelRows[r * group + c] = c < classTargets[r].length ? classTargets[r][c] : filler;
            }
        }
        NDArray labels = Padded.of(labelRows, T5Model.IGNORE_INDEX, m).ids.toDevice(hidden.getDevice(), false);
        NDArray logits = model.logits(model.decodeGrouped(model.shiftRight(labels), hidden, mask, group, training));
        return new EveryClass(logits, labels, group);
    }

    /**
     * {@link #decodeEveryClass}'s result.
     *
     * @param logits [B·G, L, V]
     * @param labels [B·G, L] int64, ignored positions {@link T5Model#IGNORE_INDEX}
     * @param group G, the pairs per row
     */
    public record EveryClass(NDArray logits, NDArray labels, int group) {}

    /**
     * Σ log p(label token) over the positions whose label is not ignored: logits [N, L, V] (float32), labels [N, L]
     * → [N], for scoring only ({@code toType} detaches: no gradient flows through this).
     *
     * <p>log p(y) = (logit_y − max) − log Σ_v exp(logit_v − max). The work over the vocabulary (max, shifted exp,
     * sum) stays in float32, where its error is about 1e-7 (every term is at most 1); the label logit, the log of the
     * sum and the sum over label tokens are taken in float64 on [N, L] arrays, so a score carries one float32
     * rounding (where the caller stores it) instead of one per token and one per running sum. Measured on random
     * logits against a float64 reference: a float32 log-softmax path is off by up to 1.3e-5 on scores near −100, this
     * by at most 6e-7; it costs about 0.7 ms more per million logits than the float32 log-softmax (0.3% of a t5-mini
     * scoring pass) and allocates no float64 array of vocabulary size.
     */
    public static double[] sequenceLogLikelihoods(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(T5Model.IGNORE_INDEX);
        NDArray safe = labels.mul(valid.toType(DataType.INT64, false));
        NDArray max = logits.max(new int[] {-1}, true); // [N, L, 1], exact
        NDArray sumExp; // [N, L], each in [1, V]
        try (NDArray shifted = logits.sub(max); NDArray exp = shifted.exp()) {
            sumExp = exp.sum(new int[] {-1});
        }
        NDArray picked = logits.gather(safe.expandDims(-1), -1).squeeze(-1); // [N, L]
        NDArray logProb = picked.toType(DataType.FLOAT64, false).sub(max.squeeze(-1).toType(DataType.FLOAT64, false))
                .sub(sumExp.toType(DataType.FLOAT64, false).log());
        return logProb.mul(valid.toType(DataType.FLOAT64, false)).sum(new int[] {1}).toDoubleArray();
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
