package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static T5Tokenizer tokenizer;
    private static TokenizedSplit data;

    @BeforeAll
    static void load() {
        tokenizer = T5Tokenizers.load(Fixtures.dir("tokenizer"));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "no");
        m.put("1", "yes it is");
        Split s = TokenizedSplitTest.split("train", "is the sky blue today", "1", "a", "0", "b", null);
        data = TokenizedSplit.tokenize(s, Template.of("{q}"), Verbalizer.of(m), tokenizer, 64, 16);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static long[] row(long[] a, int r, int width) {
        long[] out = new long[width];
        System.arraycopy(a, r * width, out, 0, width);
        return out;
    }

    private static long[] padded(int[] ids, int width, long pad) {
        long[] out = new long[width];
        java.util.Arrays.fill(out, pad);
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Test
    void rightPadsInputsMaskAndLabels() {
        Batch b = Batch.of(data, new int[] {1, 0, 2});
        int t = data.inputIds(0).length;
        int l = data.targetIds(0).length;
        assertEquals(3, b.size());
        assertEquals(t, b.inputLength());
        assertEquals(l, b.targetLength());
        assertEquals(new Shape(3, t), b.inputShape());
        assertEquals(new Shape(3, l), b.labelShape());
        assertArrayEquals(padded(data.inputIds(1), t, 0), row(b.inputIds(), 0, t));
        assertArrayEquals(padded(data.inputIds(0), t, 0), row(b.inputIds(), 1, t));
        long[] mask0 = new long[t];
        java.util.Arrays.fill(mask0, 0, data.inputIds(1).length, 1);
        assertArrayEquals(mask0, row(b.attentionMask(), 0, t));
        assertArrayEquals(padded(data.targetIds(1), l, Batch.IGNORE_INDEX), row(b.labels(), 0, l));
        assertArrayEquals(padded(data.targetIds(0), l, Batch.IGNORE_INDEX), row(b.labels(), 1, l));
        assertArrayEquals(padded(new int[0], l, Batch.IGNORE_INDEX), row(b.labels(), 2, l), "unlabeled row");
        assertArrayEquals(new int[] {1, 0, 2}, b.exampleIndices());
        assertArrayEquals(new int[] {0, 1, -1}, b.labelIndices());
        assertEquals(data.inputIds(0).length + data.inputIds(1).length + data.inputIds(2).length,
                b.realInputTokens());
    }

    @Test
    void decoderInputsAreLabelsShiftedRight() {
        Batch b = Batch.of(data, new int[] {1, 0});
        int l = b.targetLength();
        long[] dec = b.decoderInputIds(0);
        long[] labels1 = row(b.labels(), 1, l);
        long[] dec1 = row(dec, 1, l);
        assertEquals(0, dec1[0]);
        for (int j = 1; j < l; j++) {
            assertEquals(labels1[j - 1], dec1[j]);
        }
        long[] dec0 = row(dec, 0, l);
        for (long v : dec0) {
            assertEquals(true, v >= 0, "no -100 in decoder inputs");
        }
    }

    @Test
    void toNdArraysKeepsShapesAndValues() {
        Batch b = Batch.of(data, new int[] {0, 1});
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = b.toNDList(manager);
            assertEquals(3, list.size());
            assertEquals(Batch.INPUT_IDS, list.get(0).getName());
            assertEquals(DataType.INT64, list.get(0).getDataType());
            assertEquals(b.inputShape(), list.get(0).getShape());
            assertArrayEquals(b.inputIds(), list.get(0).toLongArray());
            assertArrayEquals(b.attentionMask(), list.get(1).toLongArray());
            assertEquals(b.labelShape(), list.get(2).getShape());
            assertArrayEquals(b.labels(), list.get(2).toLongArray());
        }
    }

    @Test
    void badIndicesFail() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> Batch.of(data, new int[] {5}));
        assertEquals("example index 5 is outside the train split (0..2)", e.getMessage());
        assertThrows(PromptTuneException.class, () -> Batch.of(data, new int[0]));
    }

    @Test
    void batchesFromTheBatcherCoverTheSplit() {
        for (int[] idx : Batcher.bucketed(2, 3).batches(data, 0)) {
            Batch b = Batch.of(data, idx);
            assertEquals(idx.length, b.size());
        }
    }
}
