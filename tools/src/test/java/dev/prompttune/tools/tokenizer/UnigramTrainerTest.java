package dev.prompttune.tools.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a small corpus: determinism, the vocabulary's shape, and a loadable result. */
class UnigramTrainerTest {

    private static final int VOCAB = 1000;
    private static List<String> corpus;
    private static Map<String, Long> words;
    private static UnigramTrainer.Vocabulary trained;

    @BeforeAll
    static void smallCorpus() {
        List<String> all = RepoData.pretrainLines();
        corpus = new ArrayList<>();
        for (int i = 0; i < all.size() && corpus.size() < 2000; i += 11) {
            if (!all.get(i).isEmpty()) {
                corpus.add(all.get(i));
            }
        }
        words = UnigramTrainer.countWords(corpus);
        trained = train(1);
    }

    private static UnigramTrainer.Vocabulary train(int threads) {
        UnigramTrainer.Options o = UnigramTrainer.Options.defaults(TokenizerTrainer.pieceCount(VOCAB, 100))
                .withThreads(threads).withSeedSize(50_000);
        return TokenizerTrainer.train(words, o, null);
    }

    @Test
    void trainingIsDeterministicWhateverTheThreads() {
        UnigramTrainer.Vocabulary a = trained;
        UnigramTrainer.Vocabulary b = train(1);
        UnigramTrainer.Vocabulary c = train(3);
        assertEquals(a.pieces(), b.pieces());
        assertArrayEquals(a.scores(), b.scores());
        assertEquals(a.pieces(), c.pieces());
        assertArrayEquals(a.scores(), c.scores());
        String json = TokenizerTrainer.toTokenizerJson(a, 100).toString();
        assertEquals(json, TokenizerTrainer.toTokenizerJson(c, 100).toString());
    }

    @Test
    void vocabularyHasTheRightShape() {
        UnigramTrainer.Vocabulary v = trained;
        assertEquals(VOCAB - 3 - 100, v.pieces().size());
        Set<String> distinct = new HashSet<>(v.pieces());
        assertEquals(v.pieces().size(), distinct.size(), "duplicate pieces");
        for (int i = 1; i < v.scores().length; i++) {
            assertTrue(v.scores()[i] <= v.scores()[i - 1], "scores not descending at " + i);
        }
        for (int cp : UnigramTrainer.FORCED_CHARACTERS.codePoints().toArray()) {
            assertTrue(distinct.contains(new String(Character.toChars(cp))), "missing " + new String(Character.toChars(cp)));
        }
        assertTrue(distinct.contains(TextNormalizer.META));
        for (String p : v.pieces()) {
            assertTrue(p.codePointCount(0, p.length()) <= 16, p);
            int meta = p.indexOf(TextNormalizer.META, 1);
            assertEquals(-1, meta, "▁ inside " + p);
            String body = p.startsWith(TextNormalizer.META) ? p.substring(1) : p;
            boolean digits = body.chars().anyMatch(Character::isDigit);
            boolean letters = body.chars().anyMatch(Character::isLetter);
            assertFalse(digits && letters, "piece mixes digits and letters: " + p);
            assertFalse(p.startsWith("<") && p.endsWith(">") && p.length() > 2, "special-looking piece " + p);
        }
        assertTrue(distinct.contains("▁the"));
    }

    @Test
    void writesATokenizerThatLoadsAndRoundTrips(@TempDir Path dir) throws Exception {
        UnigramTrainer.Vocabulary v = trained;
        TokenizerTrainer.write(v, 100, dir);
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        try (T5Tokenizer t = T5Tokenizers.load(dir)) {
            assertEquals(VOCAB, t.vocabSize());
            assertEquals(0, t.padId());
            assertEquals(1, t.eosId());
            assertEquals(2, t.unkId());
            assertEquals(VOCAB - 1, t.sentinelId(0));
            assertEquals(100, t.sentinelCount());
            for (String s : corpus.subList(0, 200)) {
                assertEquals(TextNormalizer.normalize(s), t.decode(t.encode(s)));
            }
            // the ids agree with the Viterbi segmentation the trainer's scores define: pieces come back whole
            long[] ids = t.encode("the", false);
            assertEquals(1, ids.length);
            assertEquals("▁the", t.idToToken(ids[0]));
        }
        // writing again gives the same bytes
        byte[] first = Files.readAllBytes(dir.resolve("tokenizer.json"));
        TokenizerTrainer.write(v, 100, dir);
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("tokenizer.json")));
        String config = Files.readString(dir.resolve("tokenizer_config.json"), StandardCharsets.UTF_8);
        assertTrue(config.contains("\"extra_ids\": 100"));
    }

    @Test
    void countsMarkedWordsAfterNormalisation() {
        Map<String, Long> c = UnigramTrainer.countWords(List.of("a  b\ta", "", "  ", "ﬁ"));
        assertEquals(Map.of("▁a", 2L, "▁b", 1L, "▁fi", 1L), c);
    }

    @Test
    void rejectsAVocabularyTooSmallForItsSentinels() {
        assertThrows(PromptTuneException.class, () -> TokenizerTrainer.pieceCount(200, 100));
        assertEquals(7897, TokenizerTrainer.pieceCount(8000, 100));
    }

    @Test
    void scriptBoundaries() {
        int[] t = "▁abc12,.".codePoints().toArray();
        assertEquals(4, UnigramModel.maxLengthAt(t, 0, 16)); // ▁abc
        assertEquals(2, UnigramModel.maxLengthAt(t, 4, 16)); // 12
        assertEquals(2, UnigramModel.maxLengthAt(t, 6, 16)); // ,.
        assertEquals(1, UnigramModel.maxLengthAt("a▁b".codePoints().toArray(), 0, 16));
    }
}
