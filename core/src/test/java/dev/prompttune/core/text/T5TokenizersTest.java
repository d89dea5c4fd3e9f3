package dev.prompttune.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class T5TokenizersTest {

    private static final TokenizeFixture FIXTURE = new TokenizeFixture();

    @Test
    void fixtureDirectoryLoadsSpieceWithHundredSentinels() {
        try (T5Tokenizer t = T5Tokenizers.load(FIXTURE.dir)) {
            assertInstanceOf(SentencePieceT5Tokenizer.class, t);
            assertEquals(100, t.sentinelCount());
            assertEquals(300, t.vocabSize());
            assertArrayEquals(new long[] {1}, t.encode(""));
            assertArrayEquals(FIXTURE.ids().get(0), t.encode(FIXTURE.strings().get(0)));
        }
    }

    @Test
    void prefersTokenizerJson(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURE.spiece, dir.resolve("spiece.model"));
        SpieceToTokenizerJson.convert(FIXTURE.spiece, 7, dir.resolve("tokenizer.json"));
        try (T5Tokenizer t = T5Tokenizers.load(dir)) {
            assertInstanceOf(HfJsonT5Tokenizer.class, t);
            assertEquals(7, t.sentinelCount());
        }
        try (T5Tokenizer t = T5Tokenizers.load(dir.resolve("tokenizer.json"))) {
            assertInstanceOf(HfJsonT5Tokenizer.class, t);
        }
    }

    @Test
    void extraIdsFromTokenizerConfig(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURE.spiece, dir.resolve("spiece.model"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"extra_ids\": 3, \"legacy\": true}");
        try (T5Tokenizer t = T5Tokenizers.load(dir)) {
            assertEquals(3, t.sentinelCount());
            assertEquals(202, t.sentinelId(0));
            for (var e : FIXTURE.extraIds3().entrySet()) {
                assertArrayEquals(e.getValue(), t.encode(e.getKey()), e.getKey());
            }
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"extra_ids\": 0}");
        try (T5Tokenizer t = T5Tokenizers.load(dir.resolve("spiece.model"))) {
            assertEquals(0, t.sentinelCount());
            assertEquals(200, t.vocabSize());
        }
    }

    @Test
    void extraIdsFromAdditionalSpecialTokens(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURE.spiece, dir.resolve("spiece.model"));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": \"</s>\","
                + " \"additional_special_tokens\": [\"<extra_id_0>\", {\"content\": \"<extra_id_1>\", \"lstrip\": true}]}");
        try (T5Tokenizer t = T5Tokenizers.load(dir)) {
            assertEquals(2, t.sentinelCount());
            assertEquals(201, t.sentinelId(0));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"extra_ids\": 5}");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(dir).close());
        assertEquals(dir.resolve("tokenizer_config.json") + " says extra_ids 5 but special_tokens_map.json lists 2"
                + " <extra_id_N> additional_special_tokens; they must agree", e.getMessage());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"extra_ids\": ");
        e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(dir).close());
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer_config.json") + " is not valid JSON ("),
                e.getMessage());
    }

    @Test
    void noTokenizerInDirectory(@TempDir Path dir) {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(dir));
        assertEquals("no tokenizer in " + dir + ": expected tokenizer.json or spiece.model", e.getMessage());
        Path missing = dir.resolve("nope");
        e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(missing));
        assertEquals("no tokenizer in " + missing + ": the directory does not exist", e.getMessage());
    }

    @Test
    void corruptTokenizerJson(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURE.spiece, dir.resolve("spiece.model")); // present, but tokenizer.json wins
        Path json = dir.resolve("tokenizer.json");
        Random random = new Random(7);
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        for (byte[] content : new byte[][] {noise, new byte[0], "{\"version\": \"1.0\", \"model\": {".getBytes()}) {
            Files.write(json, content);
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(dir).close());
            assertTrue(e.getMessage().startsWith(json + " is not a valid tokenizer.json ("), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void corruptSpieceModel(@TempDir Path dir) throws IOException {
        Path spiece = dir.resolve("spiece.model");
        byte[] real = Files.readAllBytes(FIXTURE.spiece);
        Random random = new Random(7);
        for (int seed = 0; seed < 20; seed++) {
            byte[] noise = new byte[1 + random.nextInt(10_000)];
            random.nextBytes(noise);
            assertNotValid(dir, spiece, noise);
        }
        assertNotValid(dir, spiece, new byte[0]);
        assertNotValid(dir, spiece, "not a model\n".getBytes());
        for (int cut : new int[] {1, 100, 2687, 3000, real.length / 2, real.length - 1}) {
            assertNotValid(dir, spiece, Arrays.copyOf(real, cut));
        }
    }

    private static void assertNotValid(Path dir, Path spiece, byte[] content) throws IOException {
        Files.write(spiece, content);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> T5Tokenizers.load(dir).close());
        assertTrue(e.getMessage().startsWith(spiece + " is not a valid sentencepiece model ("), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
