package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatcherTest {

    /** Varied lengths, 5..300, with no relation to position. */
    private static int[] lengths(int n) {
        Random r = new Random(1);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = 5 + (int) Math.round(Math.exp(r.nextDouble() * Math.log(60)) * 5);
        }
        return l;
    }

    /** Sum over batches of batch size × longest − real tokens. */
    private static long padding(List<int[]> batches, int[] lengths) {
        long pad = 0;
        for (int[] b : batches) {
            int max = 0;
            long real = 0;
            for (int i : b) {
                max = Math.max(max, lengths[i]);
                real += lengths[i];
            }
            pad += (long) b.length * max - real;
        }
        return pad;
    }

    private static void assertPermutation(List<int[]> batches, int n) {
        int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(Seeds.range(n), all);
    }

    @Test
    void bucketingCutsPaddingFarBelowArrivalOrder() {
        int[] len = lengths(2000);
        long arrival = padding(Batcher.sequential(16).batches(len, 0), len);
        long bucketed = padding(Batcher.bucketed(16, 42).batches(len, 0), len);
        assertTrue(bucketed * 5 < arrival, "bucketed padding " + bucketed + " vs arrival " + arrival);
        // A random shuffle alone pads as much as arrival order.
        long shuffledOnly = padding(Batcher.bucketed(16, 42).chunkBatches(1).batches(len, 0), len);
        assertTrue(bucketed * 5 < shuffledOnly, bucketed + " vs " + shuffledOnly);
    }

    @Test
    void everyExampleOnceAndBatchOrderStillRandom() {
        int[] len = lengths(2000);
        List<int[]> batches = Batcher.bucketed(16, 42).batches(len, 0);
        assertPermutation(batches, len.length);
        assertEquals(125, batches.size());
        // Batch lengths are not monotone: the batch order was shuffled after sorting.
        int ups = 0;
        for (int i = 1; i < batches.size(); i++) {
            if (maxLen(batches.get(i), len) > maxLen(batches.get(i - 1), len)) {
                ups++;
            }
        }
        assertTrue(ups > 30 && ups < 95, "ups " + ups);
    }

    private static int maxLen(int[] b, int[] len) {
        return Arrays.stream(b).map(i -> len[i]).max().orElse(0);
    }

    @Test
    void sameSeedSameBatchesOtherEpochOrSeedDiffer() {
        int[] len = lengths(500);
        Batcher b = Batcher.bucketed(8, 7);
        List<int[]> a = b.batches(len, 3);
        List<int[]> again = Batcher.bucketed(8, 7).batches(len, 3);
        assertEquals(a.size(), again.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), again.get(i));
        }
        assertFalse(Arrays.equals(a.get(0), b.batches(len, 4).get(0)), "epochs differ");
        assertFalse(Arrays.equals(a.get(0), Batcher.bucketed(8, 8).batches(len, 3).get(0)), "seeds differ");
    }

    @Test
    void sequentialKeepsOriginalOrder() {
        List<int[]> batches = Batcher.sequential(4).batches(new int[10], 5);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new int[] {8, 9}, batches.get(2));
        assertEquals(2, Batcher.sequential(4).dropLast(true).batches(new int[10], 0).size());
        assertEquals(3, Batcher.sequential(4).batchCount(10));
        assertEquals(2, Batcher.sequential(4).dropLast(true).batchCount(10));
    }

    @Test
    void dropLastLeavesOnlyFullBatches() {
        int[] len = lengths(1003);
        List<int[]> keep = Batcher.bucketed(10, 1).batches(len, 0);
        assertEquals(101, keep.size());
        assertPermutation(keep, 1003);
        assertEquals(1, keep.stream().filter(b -> b.length == 3).count());
        List<int[]> drop = Batcher.bucketed(10, 1).dropLast(true).batches(len, 0);
        assertEquals(100, drop.size());
        assertTrue(drop.stream().allMatch(b -> b.length == 10));
    }

    @Test
    void edgeCases() {
        assertEquals(List.of(), Batcher.bucketed(4, 0).batches(new int[0], 0));
        assertEquals(1, Batcher.bucketed(4, 0).batches(new int[] {3}, 0).size());
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> Batcher.bucketed(0, 1));
        assertTrue(e.getMessage().contains("batch size") && e.getMessage().contains("0"), e.getMessage());
    }
}
