package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Span corruption against T5's {@code random_spans_noise_mask} / {@code span_corruption}: counts, statistics,
 * sentinel order and exact reconstruction. Uses a synthetic vocabulary (no tokenizer): ids 3..7899 are text,
 * sentinel n is 7999 − n as in T5, eos 1.
 */
class SpanCorruptionTest {

    private static final long EOS = 1;
    private static final int VOCAB = 8000;
    private static final SpanCorruption T5 = new SpanCorruption(0.15, 3.0, n -> VOCAB - 1 - n, 100, EOS);

    private static long[] text(int length, SplittableRandom r) {
        long[] t = new long[length];
        for (int i = 0; i < length; i++) {
            t[i] = 3 + r.nextInt(7897);
        }
        return t;
    }

    private static boolean isSentinel(long id) {
        return id >= VOCAB - 100;
    }

    @Test
    void countsFollowT5() {
        // round half to even, as tf.round / np.round: 10 * 0.15 = 1.5 -> 2; 128 * 0.15 = 19.2 -> 19; 19 / 3 -> 6.
        assertEquals(19, T5.noiseTokens(128));
        assertEquals(6, T5.noiseSpans(128));
        assertEquals(116, T5.inputLength(128));
        assertEquals(26, T5.targetLength(128));
        assertEquals(2, T5.noiseTokens(10));
        assertEquals(1, T5.noiseSpans(10));
        assertEquals(1, T5.noiseTokens(2)); // clipped to [1, L-1]
        assertEquals(1, T5.noiseTokens(3));
        // T5's standard pair: 568 raw tokens -> inputs 512, targets 114 (random_spans_helper).
        assertEquals(512, T5.inputLength(568));
        assertEquals(114, T5.targetLength(568));
        assertThrows(IllegalArgumentException.class, () -> T5.noiseTokens(1));
    }

    @Test
    void maskHasExactCountsAndStartsWithNonNoiseEndsWithNoise() {
        SplittableRandom r = new SplittableRandom(3);
        for (int length : new int[] {2, 5, 20, 128, 300}) {
            for (int k = 0; k < 50; k++) {
                boolean[] mask = T5.noiseMask(length, r);
                int noise = 0;
                int spans = 0;
                for (int i = 0; i < length; i++) {
                    noise += mask[i] ? 1 : 0;
                    spans += mask[i] && (i == 0 || !mask[i - 1]) ? 1 : 0;
                }
                assertEquals(T5.noiseTokens(length), noise);
                assertEquals(T5.noiseSpans(length), spans);
                assertTrue(!mask[0] && mask[length - 1], "non-noise first, noise last");
            }
        }
    }

    @Test
    void noiseDensityAndMeanSpanLengthOverManySamples() {
        SplittableRandom r = new SplittableRandom(11);
        long tokens = 0;
        long noise = 0;
        long spans = 0;
        for (int k = 0; k < 2000; k++) {
            int length = 64 + r.nextInt(449); // 64..512
            Example ex = T5.corrupt(text(length, r), r);
            long s = Arrays.stream(ex.input()).filter(SpanCorruptionTest::isSentinel).count();
            tokens += length;
            noise += ex.target().length - 1 - s;
            spans += s;
        }
        double density = (double) noise / tokens;
        double meanSpan = (double) noise / spans;
        assertEquals(0.15, density, 0.01, "noise density");
        assertEquals(3.0, meanSpan, 0.3, "mean noise span length");
    }

    @Test
    void segmentationIsUniformOverCompositions() {
        // 5 items in 3 segments: C(4, 2) = 6 compositions, each with probability 1/6.
        SplittableRandom r = new SplittableRandom(5);
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        int n = 60_000;
        for (int k = 0; k < n; k++) {
            int[] seg = SpanCorruption.randomSegmentation(5, 3, r);
            assertEquals(5, Arrays.stream(seg).sum());
            assertTrue(Arrays.stream(seg).allMatch(x -> x >= 1));
            counts.merge(Arrays.toString(seg), 1, Integer::sum);
        }
        assertEquals(6, counts.size());
        for (int c : counts.values()) {
            assertEquals(1.0 / 6, (double) c / n, 0.01);
        }
    }

    @Test
    void sentinelsAppearInT5OrderInInputAndTarget() {
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 200; k++) {
            Example ex = T5.corrupt(text(40 + r.nextInt(200), r), r);
            List<Long> in = sentinels(ex.input());
            List<Long> out = sentinels(ex.target());
            assertEquals(in, out);
            for (int i = 0; i < in.size(); i++) {
                assertEquals(VOCAB - 1 - i, (long) in.get(i), "sentinel " + i + " is <extra_id_" + i + ">");
            }
            assertTrue(isSentinel(ex.target()[0]), "the target starts with <extra_id_0>");
            assertEquals(VOCAB - 1, ex.target()[0]);
            assertEquals(EOS, ex.input()[ex.input().length - 1]);
            assertEquals(EOS, ex.target()[ex.target().length - 1]);
            assertTrue(!isSentinel(ex.target()[ex.target().length - 2]), "no trailing sentinel before eos");
        }
    }

    @Test
    void reconstructionByInterleavingIsExact() {
        SplittableRandom r = new SplittableRandom(13);
        for (int k = 0; k < 500; k++) {
            long[] original = text(2 + r.nextInt(300), r);
            Example ex = T5.corrupt(original, r);
            assertArrayEquals(original, reconstruct(ex));
        }
    }

    @Test
    void deterministicFromTheSeed() {
        long[] t = text(128, new SplittableRandom(1));
        Example a = T5.corrupt(t, new SplittableRandom(99));
        Example b = T5.corrupt(t, new SplittableRandom(99));
        assertArrayEquals(a.input(), b.input());
        assertArrayEquals(a.target(), b.target());
    }

    @Test
    void paperExample() {
        // "Thank you for inviting me to your party last week ." with "for inviting" and "last" dropped.
        long[] t = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        boolean[] mask = new boolean[t.length];
        mask[2] = mask[3] = mask[8] = true;
        Example ex = T5.apply(t, mask);
        assertArrayEquals(new long[] {10, 11, 7999, 14, 15, 16, 17, 7998, 19, 20, EOS}, ex.input());
        assertArrayEquals(new long[] {7999, 12, 13, 7998, 18, EOS}, ex.target());
    }

    @Test
    void tooManySpansForTheSentinelsIsRefused() {
        SpanCorruption few = new SpanCorruption(0.15, 3.0, n -> VOCAB - 1 - n, 2, EOS);
        assertThrows(IllegalArgumentException.class, () -> few.corrupt(text(200, new SplittableRandom(1)), new SplittableRandom(1)));
    }

    private static List<Long> sentinels(long[] ids) {
        List<Long> out = new ArrayList<>();
        for (long id : ids) {
            if (isSentinel(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Input with every sentinel replaced by the target tokens that follow the same sentinel there. */
    static long[] reconstruct(Example ex) {
        java.util.Map<Long, List<Long>> spans = new java.util.HashMap<>();
        List<Long> current = null;
        for (long id : ex.target()) {
            if (isSentinel(id)) {
                current = new ArrayList<>();
                spans.put(id, current);
            } else if (id != EOS) {
                current.add(id);
            }
        }
        List<Long> out = new ArrayList<>();
        for (long id : ex.input()) {
            if (isSentinel(id)) {
                out.addAll(spans.get(id));
            } else if (id != EOS) {
                out.add(id);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
