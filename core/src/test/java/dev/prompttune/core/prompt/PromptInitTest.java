package dev.prompttune.core.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.peft.PeftAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each initialiser against its definition, on an embedding table whose row i is filled with the value i. */
class PromptInitTest {

    private static final int VOCAB = 6000;
    private static final int WIDTH = 4;

    private NDManager manager;
    private NDArray table;
    private final List<String> warnings = new ArrayList<>();
    private final WordTokenizer tokenizer = new WordTokenizer(Map.of(
            "yes", new long[] {17}, "no", new long[] {23}, "maybe", new long[] {40, 41}, "hello", new long[] {7}));

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        float[] values = new float[VOCAB * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / WIDTH + (i % WIDTH) * 1e-4f; // row r ≈ r, columns distinguishable
        }
        table = manager.create(values, new Shape(VOCAB, WIDTH));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private InitContext ctx(int length, List<String> labels, long seed) {
        return new InitContext(length, WIDTH, table, tokenizer, labels, seed, warnings::add);
    }

    private static float row(float[] values, int position) {
        return values[position * WIDTH]; // column 0 holds the row id
    }

    /** init "file('p.safetensors')" in quotes names the form it was meant to be (it listed file('…') as allowed only). */
    @Test
    void aQuotedInitCallSaysToDropTheQuotes() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> PromptInit.parse("file('p.safetensors')"));
        assertEquals("init 'file('p.safetensors')' is not known; allowed: random, vocab, "
                + "labels, text('…'), file('…') (file(…) is a call: write it without the quotes around it)", e.getMessage());
    }

    @Test
    void randomIsUniformInTheRangeAndSeeded() {
        float[] a = new RandomInit(-0.5f, 0.5f).values(ctx(100, null, 3));
        float[] b = new RandomInit(-0.5f, 0.5f).values(ctx(100, null, 3));
        float[] c = new RandomInit(-0.5f, 0.5f).values(ctx(100, null, 4));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        double sum = 0;
        float min = 1;
        float max = -1;
        for (float v : a) {
            assertTrue(v >= -0.5f && v < 0.5f, "value " + v);
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, sum / a.length, 0.05, "mean of U(-0.5, 0.5)");
        assertTrue(min < -0.45 && max > 0.45, "spread covers the range");
        for (float v : new RandomInit(0f, 0.5f).values(ctx(10, null, 1))) {
            assertTrue(v >= 0f && v < 0.5f);
        }
    }

    @Test
    void vocabDrawsDistinctIdsBelow5000AndCopiesTheirRows() {
        float[] values = new VocabInit(5000).values(ctx(100, null, 9));
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int id = Math.round(row(values, i));
            assertTrue(id >= 0 && id < 5000, "id " + id);
            assertTrue(ids.add(id), "id drawn twice: " + id);
            for (int h = 0; h < WIDTH; h++) {
                assertEquals(id + h * 1e-4f, values[i * WIDTH + h], 1e-3f);
            }
        }
        assertArrayEquals(values, new VocabInit(5000).values(ctx(100, null, 9)), "same seed, same prompt");
    }

    @Test
    void vocabLongerThanTopKDrawsWithReplacement() {
        long[] ids = new VocabInit(5000).ids(5200, VOCAB, 1);
        for (long id : ids) {
            assertTrue(id < 5000);
        }
        assertEquals(5200, ids.length);
    }

    @Test
    void labelsPlaceEachLabelAndAverageMultiTokenLabels() {
        float[] values = new LabelsInit().values(ctx(6, List.of("yes", "no", "maybe"), 5));
        assertEquals(17f, row(values, 0), 1e-3f);
        assertEquals(23f, row(values, 1), 1e-3f);
        assertEquals((40f + 41f) / 2, row(values, 2), 1e-3f, "two-token label is the mean of its two rows");
        float[] vocab = new VocabInit(5000).values(ctx(6, null, 5));
        for (int i = 3; i < 6; i++) {
            assertEquals(row(vocab, i), row(values, i), 0f, "position " + i + " is sampled vocab");
        }
        assertTrue(warnings.isEmpty());
    }

    @Test
    void surplusLabelsAreDroppedWithAWarning() {
        float[] values = new LabelsInit().values(ctx(2, List.of("yes", "no", "maybe"), 5));
        assertEquals(2 * WIDTH, values.length);
        assertEquals(17f, row(values, 0), 1e-3f);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("maybe") && warnings.get(0).contains("prompt length 2"), warnings.get(0));
    }

    @Test
    void labelsWithoutLabelsIsAClearError() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> new LabelsInit().values(ctx(4, List.of(), 1)));
        assertTrue(e.getMessage().contains("init 'labels'") && e.getMessage().contains("vocab"), e.getMessage());
    }

    @Test
    void textTilesTheTokenIds() {
        float[] values = new TextInit("hello maybe").values(ctx(7, null, 1));
        float[] expected = {7, 40, 41, 1, 7, 40, 41}; // ids with eos, repeated to fill 7 positions
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], row(values, i), 1e-3f);
        }
    }

    @Test
    void fileReadsAPromptAndChecksItsShape() {
        Path file = tmp.resolve("p.safetensors");
        float[] saved = new float[3 * WIDTH];
        for (int i = 0; i < saved.length; i++) {
            saved[i] = i * 0.5f;
        }
        new SafetensorsWriter().add(FileInit.TENSOR, saved, new long[] {3, WIDTH}, "F32").write(file);
        assertArrayEquals(saved, new FileInit(file).values(ctx(3, null, 0)));
        PromptTuneException tooLong = assertThrows(PromptTuneException.class, () -> new FileInit(file).values(ctx(5, null, 0)));
        assertTrue(tooLong.getMessage().contains("holds 3 prompt vectors"), tooLong.getMessage());
        PromptTuneException wide = assertThrows(PromptTuneException.class,
                () -> new FileInit(file).values(new InitContext(3, 8, table, tokenizer, null, 0, warnings::add)));
        assertTrue(wide.getMessage().contains("width (d_model) 8"), wide.getMessage());
        PromptTuneException missing = assertThrows(PromptTuneException.class,
                () -> new FileInit(tmp.resolve("nope.safetensors")).values(ctx(3, null, 0)));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    /**
     * A seq2seq adapter stores num_virtual_tokens × num_transformer_submodules rows; only the first num_virtual_tokens
     * reach the encoder (as import-peft reads it). A longer prompt took the never-trained rows as its last vectors, and
     * a NaN there refused an adapter whose prompt is sound.
     */
    @Test
    void anAdapterGivesItsVirtualTokensOnly() throws Exception {
        Path dir = tmp.resolve("adapter");
        float[] stored = new float[4 * WIDTH];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = i < 2 * WIDTH ? i * 0.5f : Float.NaN; // rows 2 and 3: the decoder's, never trained
        }
        PeftAdapter.exportTo(dir, stored, 4, WIDTH, "tiny", 2, 2);
        Path config = dir.resolve(PeftAdapter.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"num_virtual_tokens\": 4", "\"num_virtual_tokens\": 2")
                .replace("\"num_transformer_submodules\": 1", "\"num_transformer_submodules\": 2"));

        assertArrayEquals(java.util.Arrays.copyOf(stored, 2 * WIDTH), new FileInit(dir).values(ctx(2, null, 0)));
        assertArrayEquals(java.util.Arrays.copyOf(stored, WIDTH), new FileInit(dir).values(ctx(1, null, 0)));
        for (int length : new int[] {3, 4}) {
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> new FileInit(dir).values(ctx(length, null, 0)));
            assertEquals("init file " + dir + ": the adapter holds 2 virtual tokens (num_virtual_tokens) but the prompt needs "
                    + length + "; allowed: length 1 to 2", e.getMessage());
        }
    }

    @Test
    void anEmptyPromptFileIsRefusedWithoutAdvisingLengthZero() throws Exception {
        Path file = tmp.resolve("empty.safetensors");
        new SafetensorsWriter().add(FileInit.TENSOR, new float[0], new long[] {0, WIDTH}, "F32").write(file);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> new FileInit(file).values(ctx(3, null, 0)));
        assertTrue(e.getMessage().contains("empty prompt") && e.getMessage().contains("[0, " + WIDTH + "]"), e.getMessage());
        assertFalse(e.getMessage().matches(".*length (at most )?0\\b.*"), "advises a length that is not allowed: " + e.getMessage());
    }

    @Test
    void unknownInitListsTheValidOnes() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> PromptInit.parse("labelz"));
        assertTrue(e.getMessage().contains("'labelz'") && e.getMessage().contains("random, vocab, labels"), e.getMessage());
    }
}
