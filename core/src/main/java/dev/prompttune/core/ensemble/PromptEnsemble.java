package dev.prompttune.core.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import java.util.List;

/**
 * Prompt ensembling (paper §7): N prompts trained for one task share one frozen model. Every example is replicated
 * N times in one batch, row e·N + m carrying member m's prompt, so all members are scored in one pass; the
 * ensemble predicts by majority vote over the members' rank-classification predictions (ties: the highest
 * member-average log-likelihood among the tied classes) or, as an option, by the mean log-likelihood.
 */
public final class PromptEnsemble {

    private PromptEnsemble() {}

    /** How member predictions combine. */
    public enum Vote {
        /** Most members' argmax; ties go to the tied class with the highest mean log-likelihood. */
        MAJORITY,
        /** Argmax of the members' mean log-likelihood. */
        MEAN_LOG_LIKELIHOOD
    }

    /**
     * @param memberScores [member][example][class] log-likelihoods
     * @param memberPredictions [member][example]
     * @param predictions the ensemble's [example]
     * @param accuracy the ensemble's accuracy
     * @param memberAccuracies [member]
     * @param meanMemberAccuracy mean of memberAccuracies
     * @param bestMember index of the most accurate member (first on ties)
     */
    public record Result(float[][][] memberScores, int[][] memberPredictions, int[] predictions, double accuracy,
                         double[] memberAccuracies, double meanMemberAccuracy, int bestMember) {

        public double bestMemberAccuracy() {
            return memberAccuracies[bestMember];
        }
    }

    /**
     * Rank-classification scores of every member in one batched pass per {@code examplesPerBatch} examples.
     *
     * @param prompts members' prompts, each [p_m, H] (lengths may differ)
     * @param inputs per example, encoder input ids (eos included)
     * @param classTargets per class, target ids (eos included)
     * @return [member][example][class]
     */
    public static float[][][] score(T5Model model, List<NDArray> prompts, Placement placement, long[][] inputs,
                                    long[][] classTargets, int examplesPerBatch, NDManager parent) {
        // No gradients when scoring or generating (see GradMode: grad mode is on in new threads).
        try (GradMode.Scope noGrad = GradMode.off()) {
            return scoreWithoutGrad(model, prompts, placement, inputs, classTargets, examplesPerBatch, parent);
        }
    }

    private static float[][][] scoreWithoutGrad(T5Model model, List<NDArray> prompts, Placement placement, long[][] inputs,
                                    long[][] classTargets, int examplesPerBatch, NDManager parent) {
        int n = prompts == null ? 0 : prompts.size();
        if (n < 1) {
            throw new PromptTuneException("ensemble: no member prompts; allowed: 1 or more");
        }
        if (examplesPerBatch < 1) {
            throw new PromptTuneException("ensemble: examples per batch is " + examplesPerBatch + "; allowed: >= 1");
        }
        int nullMember = java.util.stream.IntStream.range(0, n).filter(m -> prompts.get(m) == null).findFirst().orElse(-1);
        if (nullMember >= 0 || placement == null || inputs == null) {
            throw new PromptTuneException("ensemble: " + (placement == null ? "the placement" : inputs == null ? "the inputs"
                    : "member prompt " + nullMember) + " is null; allowed: prompts [p, H], a placement and inputs (token ids)");
        }
        int vocab = model.config().vocabSize;
        ServingInputs.requireClasses(classTargets, vocab, "ensemble", "the task");
        for (int e = 0; e < inputs.length; e++) {
            ServingInputs.requireIds(inputs[e], vocab, "ensemble", "input " + e);
        }
        // No batch larger than the inputs (Integer.MAX_VALUE asked for an array the VM cannot make).
        examplesPerBatch = Math.max(1, Math.min(examplesPerBatch, inputs.length));
        long[][] replicated = new long[inputs.length * n][];
        for (int e = 0; e < inputs.length; e++) {
            for (int m = 0; m < n; m++) {
                replicated[e * n + m] = inputs[e];
            }
        }
        // Every batch starts at a multiple of n, so local row i carries member i mod n.
        int[] assignment = new int[examplesPerBatch * n];
        for (int i = 0; i < assignment.length; i++) {
            assignment[i] = i % n;
        }
        float[][] flat = RankClassifier.score(model, EncoderInput.perRow(prompts, assignment, placement), replicated,
                classTargets, examplesPerBatch * n, parent);
        float[][][] out = new float[n][inputs.length][];
        for (int e = 0; e < inputs.length; e++) {
            for (int m = 0; m < n; m++) {
                out[m][e] = flat[e * n + m];
            }
        }
        return out;
    }

    /** Scores all members ({@link #score}) and combines them ({@link #summarize}). */
    public static Result evaluate(T5Model model, List<NDArray> prompts, Placement placement, long[][] inputs,
                                  long[][] classTargets, int[] gold, Vote vote, int examplesPerBatch, NDManager parent) {
        return summarize(score(model, prompts, placement, inputs, classTargets, examplesPerBatch, parent), gold, vote);
    }

    /** Ensemble versus members on gold labels [example]. */
    public static Result summarize(float[][][] memberScores, int[] gold, Vote vote) {
        requireMembers(memberScores);
        if (gold == null || gold.length != memberScores[0].length || vote == null) {
            throw new PromptTuneException("ensemble: " + (vote == null ? "the vote is null" : "gold labels "
                    + (gold == null ? "are null" : "number " + gold.length)) + "; allowed: one gold class per example ("
                    + memberScores[0].length + ") and a vote (" + java.util.Arrays.toString(Vote.values()) + ")");
        }
        int n = memberScores.length;
        int[][] memberPredictions = new int[n][];
        double[] accuracies = new double[n];
        int best = 0;
        double sum = 0;
        for (int m = 0; m < n; m++) {
            memberPredictions[m] = RankClassifier.argmax(memberScores[m]);
            accuracies[m] = Metrics.accuracy(gold, memberPredictions[m]);
            sum += accuracies[m];
            if (accuracies[m] > accuracies[best]) {
                best = m;
            }
        }
        int[] predictions = vote == Vote.MAJORITY ? majorityVote(memberScores) : meanLogLikelihood(memberScores);
        return new Result(memberScores, memberPredictions, predictions, Metrics.accuracy(gold, predictions), accuracies,
                sum / n, best);
    }

    /** Majority vote of the members' argmax [example]; ties: highest mean log-likelihood, then lowest class. */
    public static int[] majorityVote(float[][][] memberScores) {
        requireMembers(memberScores);
        int examples = memberScores[0].length;
        int[] out = new int[examples];
        for (int e = 0; e < examples; e++) {
            int classes = memberScores[0][e].length;
            int[] votes = new int[classes];
            for (float[][] member : memberScores) {
                votes[argmax(member[e])]++;
            }
            double[] mean = mean(memberScores, e);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best] || (votes[c] == votes[best] && mean[c] > mean[best])) {
                    best = c;
                }
            }
            out[e] = best;
        }
        return out;
    }

    /** Argmax of the members' mean log-likelihood [example]. */
    public static int[] meanLogLikelihood(float[][][] memberScores) {
        requireMembers(memberScores);
        int[] out = new int[memberScores[0].length];
        for (int e = 0; e < out.length; e++) {
            double[] mean = mean(memberScores, e);
            int best = 0;
            for (int c = 1; c < mean.length; c++) {
                if (mean[c] > mean[best]) {
                    best = c;
                }
            }
            out[e] = best;
        }
        return out;
    }

    /** Scores [member][example][class] of at least one member, all members of the same examples. */
    private static void requireMembers(float[][][] memberScores) {
        if (memberScores == null || memberScores.length == 0) {
            throw new PromptTuneException("ensemble: no member scores; allowed: [member][example][class], 1 or more members");
        }
        for (int m = 0; m < memberScores.length; m++) {
            if (memberScores[m] == null || memberScores[m].length != memberScores[0].length) {
                throw new PromptTuneException("ensemble: member " + m + " scores " + (memberScores[m] == null ? "nothing"
                        : memberScores[m].length + " examples") + "; allowed: the " + memberScores[0].length
                        + " examples of member 0");
            }
        }
    }

    private static double[] mean(float[][][] memberScores, int example) {
        double[] mean = new double[memberScores[0][example].length];
        for (float[][] member : memberScores) {
            for (int c = 0; c < mean.length; c++) {
                mean[c] += member[example][c] / (double) memberScores.length;
            }
        }
        return mean;
    }

    private static int argmax(float[] scores) {
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }
}
