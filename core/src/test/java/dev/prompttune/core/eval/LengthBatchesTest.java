package dev.prompttune.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.testing.TinyWorld;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scoring batches: longest first, fewer rows for long inputs, every input once, results in input order. */
class LengthBatchesTest {

    static long[][] inputs(int n, int maxLength, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[][] out = new long[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new long[1 + r.nextInt(maxLength)];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = 2 + r.nextInt(200);
            }
            out[i][out[i].length - 1] = 1;
        }
        return out;
    }

    @Test
    void everyInputOnceLongestFirstLongBatchesSmaller() {
        long[][] in = inputs(300, 600, 1);
        in[7] = new long[1024];
        List<int[]> batches = LengthBatches.of(in, 64);
        boolean[] seen = new boolean[in.length];
        int previous = Integer.MAX_VALUE;
        for (int[] b : batches) {
            int longest = in[b[0]].length;
            long cap = Math.max(1, Math.min(64, 64L * 256 * 256 / ((long) longest * longest)));
            assertTrue(b.length <= cap, b.length + " rows of up to " + longest + " tokens");
            for (int i : b) {
                assertTrue(!seen[i], "index " + i + " twice");
                seen[i] = true;
                assertTrue(in[i].length <= previous, "not longest first");
                previous = in[i].length;
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertEquals(4, batches.get(0).length); // the 1024-token input: 64 · 256² / 1024² = 4 rows
    }

    @Test
    void scoresComeBackInInputOrderWhateverTheBatching() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.random(TinyWorld.config(), root, 3)) {
            long vocab = model.config().vocabSize;
            long[][] in = inputs(13, 30, 2);
            for (long[] row : in) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = row[t] % vocab;
                }
            }
            long[][] targets = {{3, 1}, {4, 5, 1}};
            float[][] one = RankClassifier.score(model, EncoderInput.plain(), in, targets, 1, root);
            float[][] many = RankClassifier.score(model, EncoderInput.plain(), in, targets, 5, root);
            for (int i = 0; i < in.length; i++) {
                assertArrayEquals(one[i], many[i], 1e-4f * Math.abs(one[i][0]) + 1e-5f, "input " + i);
            }
        }
    }
}
