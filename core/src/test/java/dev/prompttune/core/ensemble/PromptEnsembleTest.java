package dev.prompttune.core.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ensemble scores equal each member evaluated alone; the vote follows its definition. */
class PromptEnsembleTest {

    static final long[][] CLASSES = {{5, 1}, {6, 7, 1}, {8, 1}};

    /** Random encoder inputs of 2..9 tokens (ids 3..99) ending in eos. */
    static long[][] inputs(int count, long seed) {
        Random r = new Random(seed);
        long[][] out = new long[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new long[2 + r.nextInt(8)];
            for (int t = 0; t < out[i].length - 1; t++) {
                out[i][t] = 3 + r.nextInt(97);
            }
            out[i][out[i].length - 1] = 1;
        }
        return out;
    }

    /**
     * 1e-5, relative for log-likelihoods beyond 1 in magnitude: a row's float32 result depends on the shape of the
     * batch it is computed in (matmul blocking), a few ulps — 1e-5 absolute on scores around −50.
     */
    static double tolerance(float expected) {
        return 1e-5 * Math.max(1, Math.abs(expected));
    }

    static SoftPrompt prompt(int length, int width, long seed, NDManager m) {
        Random r = new Random(seed);
        float[] v = new float[length * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.5);
        }
        return SoftPrompt.of(v, length, width, m);
    }

    @Test
    void batchedEnsembleScoresEqualEachMemberAlone() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root)) {
            int h = model.config().dModel;
            List<SoftPrompt> members = List.of(prompt(3, h, 1, root), prompt(4, h, 2, root), prompt(6, h, 3, root));
            List<NDArray> values = members.stream().map(SoftPrompt::value).toList();
            long[][] inputs = inputs(7, 11);
            for (Placement placement : new Placement[] {Placement.PREFIX, Placement.SUFFIX}) {
                float[][][] together = PromptEnsemble.score(model, values, placement, inputs, CLASSES, 3, root);
                double maxErr = 0;
                double maxRel = 0;
                for (int m = 0; m < members.size(); m++) {
                    float[][] alone = RankClassifier.score(model, EncoderInput.prompted(members.get(m), placement), inputs,
                            CLASSES, 4, root);
                    for (int e = 0; e < inputs.length; e++) {
                        for (int c = 0; c < CLASSES.length; c++) {
                            maxErr = Math.max(maxErr, Math.abs(together[m][e][c] - alone[e][c]));
                            maxRel = Math.max(maxRel, Math.abs(together[m][e][c] - alone[e][c]) / Math.abs(alone[e][c]));
                            assertEquals(alone[e][c], together[m][e][c], tolerance(alone[e][c]),
                                    placement + " member " + m + " example " + e);
                        }
                    }
                }
                System.out.printf("ensemble vs members alone (%s): max |score err| %.3g, max relative %.3g%n", placement,
                        maxErr, maxRel);
            }
            int[] gold = new int[inputs.length];
            PromptEnsemble.Result result = PromptEnsemble.evaluate(model, values, Placement.PREFIX, inputs, CLASSES, gold,
                    PromptEnsemble.Vote.MAJORITY, 2, root);
            assertEquals(3, result.memberAccuracies().length);
            double mean = 0;
            for (double a : result.memberAccuracies()) {
                mean += a / 3;
            }
            assertEquals(mean, result.meanMemberAccuracy(), 1e-12);
            members.forEach(SoftPrompt::close);
        }
    }

    @Test
    void majorityVoteWithTiesBrokenByMeanLogLikelihood() {
        // [member][example][class]
        float[][][] scores = {
            {{-1, -2, -3}, {-1, -5, -5}, {-1, -2, -9}, {-0.1f, -9, -9}},
            {{-1, -2, -3}, {-5, -1, -5}, {-2, -1, -9}, {-9, -0.2f, -9}},
            {{-3, -1, -2}, {-5, -5, -1.5f}, {-9, -9, -0.5f}, {-9, -9, -0.3f}},
        };
        // example 0: votes 0,0,1 → 0
        // example 1: votes 0,1,2 (tie) → mean LL: c0 -11/3, c1 -11/3, c2 -11.5/3 → c0 and c1 tie → lowest, 0
        // example 2: votes 0,1,2 (tie) → mean LL: c0 -12, c1 -12, c2 -18.5 → 0 (tie on mean too → lowest)
        // example 3: votes 0,1,2 (tie) → mean LL: c0 -18.1, c1 -18.2, c2 -18.3 → 0
        assertArrayEquals(new int[] {0, 0, 0, 0}, PromptEnsemble.majorityVote(scores));

        float[][][] tie = {
            {{-1, -2}, {-1, -1.5f}},
            {{-4, -1}, {-1.2f, -1}},
        };
        // one vote each: example 0 mean LL c0 -2.5 vs c1 -1.5 → 1; example 1: c0 -1.1 vs c1 -1.25 → 0
        assertArrayEquals(new int[] {1, 0}, PromptEnsemble.majorityVote(tie));

        float[][][] outvoted = {
            {{-1, -1.1f}}, {{-1, -1.1f}}, {{-20, -1}},
        };
        // majority says 0 (two members, narrowly); the mean log-likelihood says 1 (one member, strongly)
        assertArrayEquals(new int[] {0}, PromptEnsemble.majorityVote(outvoted));
        assertArrayEquals(new int[] {1}, PromptEnsemble.meanLogLikelihood(outvoted));
    }

    @Test
    void summaryComparesTheEnsembleWithItsMembers() {
        // 4 examples, gold 0,1,2,0; member predictions: A 0,1,0,1 (2/4) · B 0,2,2,1 (2/4) · C 1,1,2,0 (3/4)
        int[] gold = {0, 1, 2, 0};
        int[][] picks = {{0, 1, 0, 1}, {0, 2, 2, 1}, {1, 1, 2, 0}};
        float[][][] scores = new float[3][4][3];
        for (int m = 0; m < 3; m++) {
            for (int e = 0; e < 4; e++) {
                for (int c = 0; c < 3; c++) {
                    scores[m][e][c] = c == picks[m][e] ? -1 : -2 - c;
                }
            }
        }
        PromptEnsemble.Result r = PromptEnsemble.summarize(scores, gold, PromptEnsemble.Vote.MAJORITY);
        // votes: e0 {0,0,1} → 0 ✓, e1 {1,2,1} → 1 ✓, e2 {0,2,2} → 2 ✓, e3 {1,1,0} → 1 ✗
        assertArrayEquals(new int[] {0, 1, 2, 1}, r.predictions());
        assertEquals(0.75, r.accuracy());
        assertArrayEquals(new double[] {0.5, 0.5, 0.75}, r.memberAccuracies());
        assertEquals(2, r.bestMember());
        assertEquals(0.75, r.bestMemberAccuracy());
        assertEquals((0.5 + 0.5 + 0.75) / 3, r.meanMemberAccuracy(), 1e-12);
        List<int[]> preds = new ArrayList<>(List.of(r.memberPredictions()));
        assertArrayEquals(picks[1], preds.get(1));
    }
}
