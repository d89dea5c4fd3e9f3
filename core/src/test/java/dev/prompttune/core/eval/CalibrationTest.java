package dev.prompttune.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The calibration arithmetic on numbers worked out by hand. */
class CalibrationTest {

    /** prior = log of the mean of each content-free input's label-normalised probabilities. */
    @Test
    void priorAveragesNormalisedContentFreeDistributions() {
        // Input 1 is already normalised (0.8, 0.2); input 2's scores (−1, −2) normalise to (e/(e+1), 1/(e+1)).
        float[][] contentFree = {{(float) Math.log(0.8), (float) Math.log(0.2)}, {-1f, -2f}};
        double second = Math.E / (Math.E + 1);
        double[] expected = {Math.log((0.8 + second) / 2), Math.log((0.2 + 1 - second) / 2)};
        double[] prior = Calibration.prior(contentFree);
        assertEquals(expected[0], prior[0], 1e-7);
        assertEquals(expected[1], prior[1], 1e-7);
        // One content-free input: the prior is its scores up to one constant, so subtraction is the correction.
        double[] single = Calibration.prior(new float[][] {{-3f, -5f, -4f}});
        assertEquals(-2.0, single[1] - single[0], 1e-6);
        assertEquals(-1.0, single[2] - single[0], 1e-6);
    }

    /**
     * A predictor biased towards class 0 by 3 nats on every input says 0 for everything (accuracy 0.5); the same
     * bias on the content-free inputs removes it, and every decision of a class-1 example flips to the right one.
     */
    @Test
    void calibrationFlipsABiasedPredictorsDecisions() {
        int[] gold = {0, 1, 1, 0, 1, 0};
        float[][] scores = new float[gold.length][];
        for (int i = 0; i < gold.length; i++) {
            // Evidence: +1 nat for the right class; bias: +3 nats for class 0.
            scores[i] = new float[] {-20f + (gold[i] == 0 ? 1 : 0) + 3, -20f + (gold[i] == 1 ? 1 : 0)};
        }
        int[] raw = RankClassifier.argmax(scores);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0}, raw);
        assertEquals(0.5, Metrics.accuracy(gold, raw));

        float[][] contentFree = {{-25f + 3, -25f}, {-22f + 3, -22f}};
        float[][] calibrated = Calibration.apply(scores, Calibration.prior(contentFree));
        int[] fixed = RankClassifier.argmax(calibrated);
        assertArrayEquals(gold, fixed);
        assertEquals(1.0, Metrics.accuracy(gold, fixed));
        // The correction is one number per class: differences between examples are kept.
        assertEquals(scores[0][0] - scores[1][0], calibrated[0][0] - calibrated[1][0], 1e-5);
    }
}
