package dev.prompttune.tools.pretrain.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Co-occurrence counts and PPMI values derived by hand; vectors that group words of the same topic. */
class PpmiEmbeddingsTest {

    @Test
    void countsAreSymmetricWithinTheWindowAndNeverCrossTexts() {
        // "0 1 2" with window 1: pairs (0,1), (1,2); "2 0": (2,0). Not (0,2) inside the first text, nor (2,2) across.
        int[] c = PpmiEmbeddings.counts(List.of(new long[] {0, 1, 2}, new long[] {2, 0}), 3, 1);
        assertArrayEquals(new int[] {
            0, 1, 1,
            1, 0, 1,
            1, 1, 0}, c);
        int[] wide = PpmiEmbeddings.counts(List.of(new long[] {0, 1, 2}), 3, 2);
        assertEquals(1, wide[0 * 3 + 2], "window 2 reaches two tokens away");
    }

    @Test
    void ppmiMatchesTheHandDerivation() {
        // Texts "0 1" and "0 2", window 1: C(0,1) = C(1,0) = C(0,2) = C(2,0) = 1, T = 4; row sums 2, 1, 1.
        // Smoothed context mass: 2^0.75, 1, 1 (sum 2^0.75 + 2).
        int[] counts = PpmiEmbeddings.counts(List.of(new long[] {0, 1}, new long[] {0, 2}), 3, 1);
        SparseMatrix p = PpmiEmbeddings.ppmi(counts, PpmiEmbeddings.rowSums(counts, 3), 3);
        double z = Math.pow(2, 0.75) + 2;
        double pmi01 = Math.log(0.25 / (0.5 * (1 / z)));            // log(z/2) = 0.6103
        double pmi10 = Math.log(0.25 / (0.25 * (Math.pow(2, 0.75) / z))); // log(z/2^0.75) = 0.7835
        assertEquals(0.6103, pmi01, 1e-4);
        double[][] dense = p.times(identityColumns(3)); // column j of the result = P·e_j, so dense[j][i] = P[i][j]
        assertEquals(pmi01, dense[1][0], 1e-12);
        assertEquals(pmi01, dense[2][0], 1e-12);
        assertEquals(pmi10, dense[0][1], 1e-12);
        assertEquals(pmi10, dense[0][2], 1e-12);
        assertEquals(4, p.nonZeros(), "zero counts give no entry");
    }

    @Test
    void negativePmiIsClippedToZero() {
        // Token 0 everywhere, 1 and 2 each with 0 and often together: (1, 2) is positive, (0, 0) below chance.
        List<long[]> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add(new long[] {0, 0, 0, 0});
            texts.add(new long[] {1, 2, 0});
        }
        int[] counts = PpmiEmbeddings.counts(texts, 3, 1);
        SparseMatrix p = PpmiEmbeddings.ppmi(counts, PpmiEmbeddings.rowSums(counts, 3), 3);
        double[][] dense = p.times(identityColumns(3));
        assertTrue(dense[2][1] > 0, "1 and 2 co-occur above chance");
        assertEquals(0, dense[0][1], 0, "1 and 1 never co-occur: no entry");
    }

    @Test
    void wordsOfOneTopicGetNearbyVectorsAndUnseenIdsStayZero() {
        // Two topics: ids 1-5 only ever appear among themselves, 6-10 likewise; id 0 and 11 never appear.
        SplittableRandom r = new SplittableRandom(3);
        List<long[]> texts = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            int base = t % 2 == 0 ? 1 : 6;
            long[] ids = new long[12];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = base + r.nextInt(5);
            }
            texts.add(ids);
        }
        PpmiEmbeddings e = PpmiEmbeddings.of(texts, 12, 3, 4, 1);
        assertFalse(e.seen()[0]);
        assertFalse(e.seen()[11]);
        assertArrayEquals(new float[4], e.vectors()[0]);
        for (int id = 1; id <= 10; id++) {
            assertTrue(e.seen()[id], "id " + id);
        }
        for (int a = 1; a <= 5; a++) {
            for (int b = 1; b <= 10; b++) {
                if (b == a) {
                    continue;
                }
                boolean sameTopic = b <= 5;
                double cos = cosine(e.vectors()[a], e.vectors()[b]);
                assertTrue(sameTopic ? cos > 0.5 : cos < 0.1, "cos(" + a + ", " + b + ") = " + cos);
            }
        }
        double squares = 0;
        for (int id = 1; id <= 10; id++) {
            for (float x : e.vectors()[id]) {
                squares += x * x;
            }
        }
        assertEquals(1, Math.sqrt(squares / 40), 1e-6, "seen rows scaled to an RMS of 1, as T5 draws N(0, 1)");
    }

    @Test
    void anIdOutsideTheVocabularyIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PpmiEmbeddings.counts(List.<long[]>of(new long[] {0, 9}), 3, 1));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("0..2"), e.getMessage());
    }

    private static double[][] identityColumns(int n) {
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            c[i][i] = 1;
        }
        return c;
    }

    private static double cosine(float[] x, float[] y) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xy / Math.sqrt(xx * yy);
    }
}
