package dev.prompttune.core.eval;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calibrated rank classification (Zhao et al. 2021, "Calibrate Before Use"). A prompt can prefer one label whatever
 * the input; that preference shows on an input with no content. The class scores of every example are corrected by
 * the scores the same encoder input (the same prompt) gives a content-free input:
 *
 * <pre>
 *   prior[c]         = log( mean over content-free inputs k of softmax_c(score_k) )
 *   calibrated[i][c] = score[i][c] − prior[c]
 * </pre>
 *
 * where {@code score} is the rank classifier's sequence log-likelihood of class c's target text. This is Zhao et al.'s
 * diagonal correction {@code W = diag(p_cf)^-1} in log space: they average the content-free label distributions (each
 * normalised over the labels) and divide every example's label probabilities by the average, so the argmax of the
 * calibrated scores is theirs. With one content-free input the normalisation only shifts all classes of an example
 * by one constant, and the correction is plain subtraction of that input's label scores.
 *
 * <p>Content-free inputs: the task's template with every slot filled by {@code "N/A"}, then by the empty string,
 * tokenized exactly as the task's examples are. Zhao et al. average {@code "N/A"}, {@code ""} and {@code "[MASK]"};
 * {@code "[MASK]"} is left out because it is BERT's mask token, which a T5 tokenizer splits into ordinary pieces
 * (T5's own masks are the {@code <extra_id_N>} sentinels, which a span-corruption model answers with content), so for
 * T5 it is text, not an absence of it. Averaging two fillers keeps the correction from depending on one string.
 */
public final class Calibration {

    /** What fills every template slot of a content-free input, one input per filler. */
    public static final List<String> CONTENT_FREE = List.of("N/A", "");

    private Calibration() {}

    /** One content-free example per {@link #CONTENT_FREE} filler: the template's every slot gets the filler. */
    public static List<Example> contentFreeExamples(TaskData task) {
        List<Example> out = new ArrayList<>();
        for (String filler : CONTENT_FREE) {
            Map<String, String> fields = new LinkedHashMap<>();
            task.template().slots().forEach(slot -> fields.put(slot, filler));
            out.add(Example.of("content-free input '" + filler + "'", fields));
        }
        return out;
    }

    /** The content-free inputs' encoder ids (eos included), tokenized and truncated as the task's examples are. */
    public static long[][] contentFreeInputs(TaskData task, T5Tokenizer tokenizer, int maxInputLength, int maxTargetLength) {
        Split split = new Split("content-free", "content-free inputs " + CONTENT_FREE, contentFreeExamples(task));
        TokenizedSplit t = TokenizedSplit.tokenize(split, task.template(), task.verbalizer(), tokenizer, maxInputLength,
                maxTargetLength);
        long[][] out = new long[t.size()][];
        for (int i = 0; i < out.length; i++) {
            int[] ids = t.inputIds(i);
            out[i] = new long[ids.length];
            for (int j = 0; j < ids.length; j++) {
                out[i][j] = ids[j];
            }
        }
        return out;
    }

    /**
     * The label prior a prompt shows on content-free inputs.
     *
     * @param contentFreeScores [input][class] rank-classification log-likelihoods
     * @return [class] log of the mean over inputs of each input's label-normalised probability
     */
    public static double[] prior(float[][] contentFreeScores) {
        int classes = contentFreeScores[0].length;
        double[] mean = new double[classes];
        for (float[] row : contentFreeScores) {
            double max = Double.NEGATIVE_INFINITY;
            for (float s : row) {
                max = Math.max(max, s);
            }
            double sum = 0;
            for (float s : row) {
                sum += Math.exp(s - max);
            }
            for (int c = 0; c < classes; c++) {
                mean[c] += Math.exp(row[c] - max) / sum / contentFreeScores.length;
            }
        }
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = Math.log(mean[c]);
        }
        return out;
    }

    /** scores [example][class] minus prior [class], as new arrays. */
    public static float[][] apply(float[][] scores, double[] prior) {
        float[][] out = new float[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            out[i] = new float[scores[i].length];
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] = (float) (scores[i][c] - prior[c]);
            }
        }
        return out;
    }

    /**
     * A split's scores with and without calibration.
     *
     * @param raw [example][class] log-likelihoods
     * @param prior [class] the content-free prior of the same encoder input
     * @param calibrated [example][class] raw − prior
     */
    public record Scores(float[][] raw, double[] prior, float[][] calibrated) {}

    /**
     * Scores {@code inputs} and, in a call of their own, the content-free inputs under one encoder input, and
     * calibrates. The content-free rows are kept out of the examples' batches so that the raw scores are exactly
     * those of uncalibrated scoring (a batch's composition changes float32 rounding).
     *
     * @param inputs per example, encoder ids (eos included)
     * @param contentFree from {@link #contentFreeInputs}
     * @param classTargets per class, target ids (eos included)
     */
    public static Scores score(T5Model model, EncoderInput input, long[][] inputs, long[][] contentFree,
                               long[][] classTargets, int batchSize, NDManager manager) {
        float[][] raw = RankClassifier.score(model, input, inputs, classTargets, batchSize, manager);
        double[] prior = prior(RankClassifier.score(model, input, contentFree, classTargets, batchSize, manager));
        return new Scores(raw, prior, apply(raw, prior));
    }
}
