package dev.prompttune.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parity with Hugging Face's slow {@code T5Tokenizer(legacy=True)} on the fixture's {@code spiece.model}. */
class SentencePieceT5TokenizerTest {

    private static final TokenizeFixture FIXTURE = new TokenizeFixture();
    private static SentencePieceT5Tokenizer noExtra;
    private static SentencePieceT5Tokenizer default100;

    @BeforeAll
    static void load() {
        noExtra = SentencePieceT5Tokenizer.load(FIXTURE.spiece, 0);
        default100 = SentencePieceT5Tokenizer.load(FIXTURE.spiece);
    }

    @AfterAll
    static void close() {
        noExtra.close();
        default100.close();
    }

    @Test
    void everyFixtureStringMatchesTheSlowTokenizer() {
        List<String> strings = FIXTURE.strings();
        List<long[]> expected = FIXTURE.ids();
        assertEquals(strings.size(), expected.size());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            long[] got = noExtra.encode(strings.get(i));
            if (!Arrays.equals(expected.get(i), got)) {
                wrong.add("'" + strings.get(i) + "': expected " + Arrays.toString(expected.get(i)) + " got "
                        + Arrays.toString(got));
            }
            // 100 sentinels sit above the vocabulary and change nothing for text without sentinel texts.
            assertArrayEquals(expected.get(i), default100.encode(strings.get(i)), strings.get(i));
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void fixtureDisagreementsAreResolvedLikeHuggingFace() {
        // Plain sentencepiece spells "</s>" out; every Hugging Face tokenizer maps it to eos.
        long[] hf = {3, 194, 5, 191, 191, 7, 1, 3, 29, 7, 32, 191, 14, 1};
        assertArrayEquals(hf, noExtra.encode("hello </s> world"));
        assertArrayEquals(new long[] {3, 194, 5, 191, 191, 7, 0, 2, 1}, noExtra.encode("hello<pad><unk>"));
    }

    @Test
    void extraIds3MatchesTheSlowTokenizer() {
        try (SentencePieceT5Tokenizer t = SentencePieceT5Tokenizer.load(FIXTURE.spiece, 3)) {
            assertEquals(FIXTURE.vocabSize() + 3, t.vocabSize());
            assertEquals(3, t.sentinelCount());
            for (Map.Entry<String, long[]> e : FIXTURE.extraIds3().entrySet()) {
                assertArrayEquals(e.getValue(), t.encode(e.getKey()), e.getKey());
            }
            for (Map.Entry<String, Long> e : FIXTURE.extraIds3Sentinels().entrySet()) {
                int n = TokenizerSupport.sentinelIndex(e.getKey());
                assertEquals(e.getValue(), t.sentinelId(n), e.getKey());
                assertEquals(e.getValue(), t.tokenToId(e.getKey()), e.getKey());
                assertEquals(e.getKey(), t.idToToken(e.getValue()));
            }
            // Sentinels eat the whitespace beside them; text beside them is encoded on its own.
            assertArrayEquals(t.encode("a<extra_id_0>b <extra_id_2>"), t.encode("a <extra_id_0> b <extra_id_2>"));
            // <extra_id_3> does not exist here: sentencepiece spells it out.
            assertTrue(t.encode("<extra_id_3>").length > 2);
        }
    }

    @Test
    void sentinelsCountDownFromTheTopOfTheVocabulary() {
        assertEquals(300, default100.vocabSize());
        assertEquals(100, default100.sentinelCount());
        assertEquals(299, default100.sentinelId(0));
        assertEquals(200, default100.sentinelId(99));
        assertEquals("<extra_id_0>", default100.idToToken(299));
        assertArrayEquals(new long[] {296, 1}, default100.encode(" <extra_id_3> "));
        assertArrayEquals(new long[] {290, 1}, default100.encode("<extra_id_9>"));
        assertArrayEquals(new long[] {289, 1}, default100.encode("<extra_id_10>"));
    }

    @Test
    void sentinelOutOfRangeIsOneClearLine() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> default100.sentinelId(100));
        assertEquals("sentinel <extra_id_100> does not exist: this tokenizer has 100 sentinels, n must be in [0, 99]",
                e.getMessage());
        assertThrows(PromptTuneException.class, () -> default100.sentinelId(-1));
        e = assertThrows(PromptTuneException.class, () -> noExtra.sentinelId(0));
        assertEquals("sentinel <extra_id_0> does not exist: this tokenizer has no <extra_id_N> sentinels",
                e.getMessage());
    }

    @Test
    void specialIdsAndVocabulary() {
        assertEquals(0, noExtra.padId());
        assertEquals(1, noExtra.eosId());
        assertEquals(2, noExtra.unkId());
        assertEquals(200, noExtra.vocabSize());
        assertEquals("<pad>", noExtra.idToToken(0));
        assertEquals("</s>", noExtra.idToToken(1));
        assertEquals("▁", noExtra.idToToken(3));
        assertEquals(3, noExtra.tokenToId("▁"));
        assertEquals(2, noExtra.tokenToId("no such piece"));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> noExtra.idToToken(200));
        assertEquals("token id 200 is out of range: the vocabulary has ids [0, 199]", e.getMessage());
    }

    @Test
    void emptyAndWhitespaceGiveJustEos() {
        for (String s : new String[] {"", " ", "   ", "\t\n", " \u3000 "}) {
            assertArrayEquals(new long[] {1}, default100.encode(s), "'" + s + "'");
            assertArrayEquals(new long[0], default100.encode(s, false), "'" + s + "'");
        }
    }

    @Test
    void encodeWithoutEos() {
        long[] with = noExtra.encode("hello world");
        assertArrayEquals(Arrays.copyOf(with, with.length - 1), noExtra.encode("hello world", false));
    }

    @Test
    void textEndingInEosGetsOneEosLikeTheSlowTokenizer() {
        // T5Tokenizer._add_eos_if_not_present (T5TokenizerFast would append a second one).
        long[] ids = noExtra.encode("hello </s>");
        assertArrayEquals(new long[] {3, 194, 5, 191, 191, 7, 1}, ids);
    }

    @Test
    void neverTruncates() {
        String text = "hello world ".repeat(300);
        assertEquals(300 * 12 + 1, noExtra.encode(text).length);
    }

    @Test
    void decodeRoundTripsPlainText() {
        // Fixture strings whose characters are all in the 200-piece vocabulary (no unk).
        for (String s : new String[] {"hello world", "café naïve résumé", "Numbers: 12345 and 3.14159",
                "don't won't it's", "translate English to German: That is good.",
                "summarize: studies have shown that owning a dog is good for you"}) {
            assertEquals(s, default100.decode(default100.encode(s)), s);
        }
        // Whitespace is normalized away by sentencepiece.
        assertEquals("multiple internal spaces", default100.decode(default100.encode("  multiple   internal    spaces ")));
    }

    @Test
    void decodeDropsSpecialTokensWherever() {
        long[] ids = {0, 3, 194, 5, 191, 191, 7, 1, 299, 3, 29, 7, 32, 191, 14, 2, 1, 0, 0};
        assertEquals("hello world", default100.decode(ids));
        assertEquals("hello world", default100.decode(ids, true));
        String raw = default100.decode(ids, false);
        assertTrue(raw.contains("</s>") && raw.contains("<extra_id_0>") && raw.contains("<pad>"), raw);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> default100.decode(new long[] {5, -100}));
        assertEquals("token id -100 is out of range: the vocabulary has ids [0, 299]", e.getMessage());
    }

    @Test
    void closeTwiceIsSafeAndUseAfterCloseFails() {
        SentencePieceT5Tokenizer t = SentencePieceT5Tokenizer.load(FIXTURE.spiece, 0);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.encode("a"));
    }
}
