package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Prefix LM: prefix + continuation is the text, both end in eos, split points cover [1, L-1] uniformly. */
class PrefixLmTest {

    private static final PrefixLm LM = new PrefixLm(1);

    @Test
    void prefixPlusContinuationIsTheText() {
        SplittableRandom r = new SplittableRandom(2);
        for (int k = 0; k < 300; k++) {
            long[] t = new long[2 + r.nextInt(200)];
            for (int i = 0; i < t.length; i++) {
                t[i] = 3 + r.nextInt(7000);
            }
            Example ex = LM.split(t, r);
            assertEquals(1, ex.input()[ex.input().length - 1]);
            assertEquals(1, ex.target()[ex.target().length - 1]);
            assertTrue(ex.input().length >= 2 && ex.target().length >= 2, "both sides non-empty");
            long[] joined = new long[t.length];
            System.arraycopy(ex.input(), 0, joined, 0, ex.input().length - 1);
            System.arraycopy(ex.target(), 0, joined, ex.input().length - 1, ex.target().length - 1);
            assertArrayEquals(t, joined);
        }
    }

    @Test
    void splitPointsCoverTheRangeUniformly() {
        SplittableRandom r = new SplittableRandom(4);
        int length = 10;
        int[] counts = new int[length];
        int n = 45_000;
        for (int k = 0; k < n; k++) {
            counts[LM.splitPoint(length, r)]++;
        }
        assertEquals(0, counts[0]);
        for (int p = 1; p < length; p++) {
            assertEquals(1.0 / (length - 1), (double) counts[p] / n, 0.01, "split " + p + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void explicitSplitAndBounds() {
        Example ex = LM.split(new long[] {5, 6, 7}, 1);
        assertArrayEquals(new long[] {5, 1}, ex.input());
        assertArrayEquals(new long[] {6, 7, 1}, ex.target());
        assertThrows(IllegalArgumentException.class, () -> LM.split(new long[] {5, 6}, 2));
        assertThrows(IllegalArgumentException.class, () -> LM.split(new long[] {5}, new SplittableRandom(1)));
    }

    @Test
    void aMaximumTargetKeepsTheFirstTokensOfTheContinuation() {
        PrefixLm capped = new PrefixLm(1, 3);
        long[] text = {10, 11, 12, 13, 14, 15, 16, 17};
        Example ex = capped.split(text, 2);
        assertArrayEquals(new long[] {10, 11, 1}, ex.input());
        assertArrayEquals(new long[] {12, 13, 14, 1}, ex.target(), "continuation cut after 3 tokens, then eos");
        assertArrayEquals(new long[] {16, 17, 1}, capped.split(text, 6).target(), "a shorter continuation is kept whole");
        SplittableRandom r = new SplittableRandom(9);
        for (int k = 0; k < 200; k++) {
            Example e = capped.split(text, r);
            int prefix = e.input().length - 1;
            assertTrue(e.target().length - 1 <= 3 && e.target().length >= 2);
            for (int t = 0; t < e.target().length - 1; t++) {
                assertEquals(text[prefix + t], e.target()[t], "the target continues the prefix");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PrefixLm(1, -1));
    }
}
