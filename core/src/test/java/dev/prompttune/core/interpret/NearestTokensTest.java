package dev.prompttune.core.interpret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.InitContext;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nearest vocabulary tokens of prompt vectors, on a random T5 of vocab 200 with the fixture tokenizer. */
class NearestTokensTest {

    private static final int H = 32;
    private NDManager manager;
    private T5Model model;
    private T5Tokenizer tokenizer;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = T5Model.random(vocab200(), manager, 7);
        assertEquals(200, model.config().vocabSize);
        tokenizer = T5Tokenizers.load(Fixtures.dir("tokenizer"));
    }

    @AfterEach
    void tearDown() {
        tokenizer.close();
        model.close();
        manager.close();
    }

    /** The tiny fixture's architecture with the fixture tokenizer's vocabulary (200). */
    static T5Config vocab200() {
        try {
            String json = java.nio.file.Files.readString(Fixtures.dir("tiny-t5-v1_1").resolve("config.json"));
            return T5Config.parse(json.replaceAll("\"vocab_size\": *\\d+", "\"vocab_size\": 200"), "test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Words that are one token each (a piece "▁word" that encodes back to itself). */
    private List<String> singleTokenWords(int count) {
        List<String> words = new ArrayList<>();
        for (long id = 3; id < tokenizer.vocabSize() && words.size() < count; id++) {
            String piece = tokenizer.idToToken(id);
            if (piece.startsWith("▁") && piece.length() > 2) {
                String word = piece.substring(1);
                if (Arrays.equals(tokenizer.encode(word, false), new long[] {id})) {
                    words.add(word);
                }
            }
        }
        assertEquals(count, words.size(), "the fixture vocabulary should have " + count + " single-token words");
        return words;
    }

    @Test
    void labelInitialisedPositionsReportTheirLabelsBeforeTraining() {
        List<String> labels = singleTokenWords(3);
        int p = 5;
        float[] prompt = PromptInit.labels().values(new InitContext(p, H, model.embeddingTable(), tokenizer, labels, 1, w -> {}));
        NearestTokens nearest = NearestTokens.of(prompt, p, H, model.embeddingTable(), tokenizer, 4);
        assertEquals(p, nearest.positions().size());
        for (int i = 0; i < labels.size(); i++) {
            NearestTokens.Position pos = nearest.positions().get(i);
            assertEquals(tokenizer.encode(labels.get(i), false)[0], pos.ids()[0], "position " + i);
            assertEquals("▁" + labels.get(i), pos.tokens()[0]);
            assertEquals(labels.get(i), pos.texts()[0].strip());
            assertEquals(1f, pos.scores()[0], 1e-5f, "cosine of a label's own embedding");
            assertTrue(pos.scores()[1] < pos.scores()[0] && pos.scores()[2] <= pos.scores()[1], "sorted best first");
        }
        List<NearestTokens.LabelMark> marks = nearest.markLabels(labels, tokenizer);
        assertEquals(3, marks.size());
        for (NearestTokens.LabelMark m : marks) {
            assertTrue(m.nearestIsLabel(), m.toString());
            assertEquals(0, m.rank());
            assertEquals(1f, m.score(), 1e-5f);
        }
    }

    @Test
    void aPositionThatMovedAwayFromItsLabelIsMarked() {
        List<String> labels = singleTokenWords(2);
        float[] prompt = PromptInit.labels().values(new InitContext(2, H, model.embeddingTable(), tokenizer, labels, 1, w -> {}));
        // Position 1 now holds another token's embedding: it no longer says label 1.
        long other = tokenizer.encode(labels.get(0), false)[0] + 1;
        float[] row = model.embeddingTable().get(other).toFloatArray();
        System.arraycopy(row, 0, prompt, H, H);
        NearestTokens nearest = NearestTokens.of(prompt, 2, H, model.embeddingTable(), tokenizer, 3);
        List<NearestTokens.LabelMark> marks = nearest.markLabels(labels, tokenizer);
        assertTrue(marks.get(0).nearestIsLabel());
        assertFalse(marks.get(1).nearestIsLabel(), marks.get(1).toString());
        assertEquals(other, nearest.positions().get(1).ids()[0]);
        assertTrue(marks.get(1).rank() != 0);
    }

    @Test
    void batchedResultEqualsAPlainJavaComputation() {
        int p = 3;
        float[] prompt = new float[p * H];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (float) r.nextGaussian();
        }
        int k = 5;
        NearestTokens nearest = NearestTokens.of(prompt, p, H, model.embeddingTable(), tokenizer, k);
        float[] table = model.embeddingTable().toFloatArray();
        int vocab = table.length / H;
        for (int i = 0; i < p; i++) {
            double[] cos = new double[vocab];
            Integer[] order = new Integer[vocab];
            for (int v = 0; v < vocab; v++) {
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int d = 0; d < H; d++) {
                    dot += prompt[i * H + d] * table[v * H + d];
                    a += prompt[i * H + d] * prompt[i * H + d];
                    b += table[v * H + d] * table[v * H + d];
                }
                cos[v] = dot / Math.sqrt(a * b);
                order[v] = v;
            }
            Arrays.sort(order, (x, y) -> Double.compare(cos[y], cos[x]));
            long[] expected = new long[k];
            for (int j = 0; j < k; j++) {
                expected[j] = order[j];
                assertEquals(cos[order[j]], nearest.positions().get(i).scores()[j], 1e-5);
            }
            assertArrayEquals(expected, nearest.positions().get(i).ids(), "position " + i);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        float[] prompt = new float[2 * H];
        assertThrows(PromptTuneException.class, () -> NearestTokens.of(prompt, 2, H, model.embeddingTable(), tokenizer, 0));
        assertThrows(PromptTuneException.class, () -> NearestTokens.of(prompt, 2, H, model.embeddingTable(), tokenizer, 201));
        assertThrows(PromptTuneException.class, () -> NearestTokens.of(prompt, 1, 2 * H, model.embeddingTable(), tokenizer, 3));
    }
}
