package dev.prompttune.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with {@code T5TokenizerFast} through a {@code tokenizer.json} converted from the fixture's
 * {@code spiece.model} by {@link SpieceToTokenizerJson}, loaded with DJL's Hugging Face tokenizers.
 */
class HfJsonT5TokenizerTest {

    private static final TokenizeFixture FIXTURE = new TokenizeFixture();

    @TempDir
    static Path tmp;
    private static HfJsonT5Tokenizer noExtra;
    private static HfJsonT5Tokenizer extra3;
    private static HfJsonT5Tokenizer default100;

    @BeforeAll
    static void convertAndLoad() {
        noExtra = convertAndLoad(0);
        extra3 = convertAndLoad(3);
        default100 = convertAndLoad(100);
    }

    private static HfJsonT5Tokenizer convertAndLoad(int extraIds) {
        Path json = tmp.resolve("extra" + extraIds).resolve("tokenizer.json");
        SpieceToTokenizerJson.convert(FIXTURE.spiece, extraIds, json);
        return HfJsonT5Tokenizer.load(json);
    }

    @AfterAll
    static void close() {
        noExtra.close();
        extra3.close();
        default100.close();
    }

    @Test
    void everyFixtureStringMatchesTheFastTokenizer() {
        List<String> strings = FIXTURE.strings();
        List<long[]> fast = FIXTURE.results(TokenizeFixture.FAST);
        List<long[]> slow = FIXTURE.ids();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            long[] got = noExtra.encode(strings.get(i));
            if (!Arrays.equals(fast.get(i), got)) {
                wrong.add("'" + strings.get(i) + "': expected " + Arrays.toString(fast.get(i)) + " got "
                        + Arrays.toString(got));
            }
            // The fixture records no disagreement between the fast and the slow tokenizer.
            assertArrayEquals(slow.get(i), got, strings.get(i));
            assertArrayEquals(fast.get(i), default100.encode(strings.get(i)), strings.get(i));
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void extraIds3MatchesHuggingFace() {
        assertEquals(FIXTURE.vocabSize() + 3, extra3.vocabSize());
        assertEquals(3, extra3.sentinelCount());
        for (Map.Entry<String, long[]> e : FIXTURE.extraIds3().entrySet()) {
            assertArrayEquals(e.getValue(), extra3.encode(e.getKey()), e.getKey());
        }
        for (Map.Entry<String, Long> e : FIXTURE.extraIds3Sentinels().entrySet()) {
            int n = TokenizerSupport.sentinelIndex(e.getKey());
            assertEquals(e.getValue(), extra3.sentinelId(n), e.getKey());
            assertEquals(e.getValue(), extra3.tokenToId(e.getKey()));
            assertEquals(e.getKey(), extra3.idToToken(e.getValue()));
        }
    }

    @Test
    void sentinelsAndSpecialIds() {
        assertEquals(300, default100.vocabSize());
        assertEquals(100, default100.sentinelCount());
        assertEquals(299, default100.sentinelId(0));
        assertEquals(200, default100.sentinelId(99));
        assertEquals(0, default100.padId());
        assertEquals(1, default100.eosId());
        assertEquals(2, default100.unkId());
        assertEquals("▁", default100.idToToken(3));
        assertEquals(2, default100.tokenToId("no such piece"));
        assertArrayEquals(new long[] {296, 1}, default100.encode(" <extra_id_3> "));
        assertArrayEquals(new long[] {289, 1}, default100.encode("<extra_id_10>"));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> default100.sentinelId(100));
        assertEquals("sentinel <extra_id_100> does not exist: this tokenizer has 100 sentinels, n must be in [0, 99]",
                e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> noExtra.sentinelId(0));
        assertEquals("sentinel <extra_id_0> does not exist: this tokenizer has no <extra_id_N> sentinels",
                e.getMessage());
    }

    @Test
    void specialTokenTextsMapToTheirIds() {
        assertArrayEquals(new long[] {3, 194, 5, 191, 191, 7, 1, 3, 29, 7, 32, 191, 14, 1},
                noExtra.encode("hello </s> world"));
        assertArrayEquals(new long[] {3, 194, 5, 191, 191, 7, 0, 2, 1}, noExtra.encode("hello<pad><unk>"));
        // T5TokenizerFast's template appends eos even after a literal </s> (the slow tokenizer does not).
        assertArrayEquals(new long[] {3, 194, 5, 191, 191, 7, 1, 1}, noExtra.encode("hello </s>"));
    }

    @Test
    void emptyAndWhitespaceGiveJustEos() {
        for (String s : new String[] {"", " ", "   ", "\t\n"}) {
            assertArrayEquals(new long[] {1}, default100.encode(s), "'" + s + "'");
            assertArrayEquals(new long[0], default100.encode(s, false), "'" + s + "'");
        }
    }

    @Test
    void oneEosAndNoTruncation() {
        long[] with = noExtra.encode("hello world");
        assertArrayEquals(Arrays.copyOf(with, with.length - 1), noExtra.encode("hello world", false));
        // DJL's default would truncate to 512 tokens.
        assertEquals(300 * 12 + 1, noExtra.encode("hello world ".repeat(300)).length);
    }

    @Test
    void decodeRoundTripsPlainTextAndDropsSpecials() {
        for (String s : new String[] {"hello world", "café naïve résumé", "Numbers: 12345 and 3.14159",
                "don't won't it's", "translate English to German: That is good."}) {
            assertEquals(s, default100.decode(default100.encode(s)), s);
        }
        long[] ids = {0, 3, 194, 5, 191, 191, 7, 1, 299, 3, 29, 7, 32, 191, 14, 2, 1, 0, 0};
        assertEquals("hello world", default100.decode(ids));
        String raw = default100.decode(ids, false);
        assertTrue(raw.contains("</s>") && raw.contains("<extra_id_0>"), raw);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> default100.decode(new long[] {300}));
        assertEquals("token id 300 is out of range: the vocabulary has ids [0, 299]", e.getMessage());
    }

    @Test
    void corruptTokenizerJsonIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": ");
        assertNotValid(file);
        Files.writeString(file, "");
        assertNotValid(file);
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF});
        assertNotValid(file);
        Files.writeString(file, "[1, 2, 3]");
        assertNotValid(file);
        // JSON with a vocabulary, but not something the tokenizers library accepts.
        Files.writeString(file, "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": [[\"<pad>\", 0.0], [\"</s>\", 0.0],"
                + " [\"<unk>\", 0.0]]}}");
        assertNotValid(file);
        // A truncated copy of a real one.
        String real = Files.readString(tmp.resolve("extra0").resolve("tokenizer.json"));
        Files.writeString(file, real.substring(0, real.length() / 2));
        assertNotValid(file);
    }

    private static void assertNotValid(Path file) {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> HfJsonT5Tokenizer.load(file).close());
        assertTrue(e.getMessage().startsWith(file + " is not a valid tokenizer.json ("), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingSpecialTokenIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"vocab\": [[\"<unk>\", 0.0],"
                + " [\"a\", -1.0]]}}");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> HfJsonT5Tokenizer.load(file).close());
        assertEquals(file + " has no <pad> token: a T5 tokenizer needs <pad>, </s> and <unk> in its vocabulary",
                e.getMessage());
    }
}
