package dev.prompttune.tools.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.core.text.HfJsonT5Tokenizer;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed tokenizer ({@code data/tokenizer}) through {@link T5Tokenizers#load}, as the project uses it. */
class TrainedTokenizerTest {

    private static T5Tokenizer tok;

    @BeforeAll
    static void load() {
        tok = T5Tokenizers.load(RepoData.tokenizer());
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void loadsAsTheHuggingFaceTokenizerWithT5SpecialIds() {
        assertTrue(tok instanceof HfJsonT5Tokenizer);
        assertEquals(TokenizerTrainer.DEFAULT_VOCAB_SIZE, tok.vocabSize());
        assertEquals(0, tok.padId());
        assertEquals(1, tok.eosId());
        assertEquals(2, tok.unkId());
        assertEquals("<pad>", tok.idToToken(0));
        assertEquals("</s>", tok.idToToken(1));
        assertEquals("<unk>", tok.idToToken(2));
        assertEquals(TextNormalizer.META, tok.idToToken(tok.tokenToId(TextNormalizer.META)));
    }

    @Test
    void sentinelsCountDownFromTheTop() {
        assertEquals(100, tok.sentinelCount());
        assertEquals(tok.vocabSize() - 1, tok.sentinelId(0));
        assertEquals(tok.vocabSize() - 100, tok.sentinelId(99));
        assertEquals("<extra_id_0>", tok.idToToken(tok.vocabSize() - 1));
        long[] ids = tok.encode("<extra_id_0> the cat <extra_id_1>");
        assertEquals(tok.sentinelId(0), ids[0]);
        assertEquals(tok.sentinelId(1), ids[ids.length - 2]);
        assertEquals(tok.eosId(), ids[ids.length - 1]);
        assertEquals("the cat", tok.decode(ids));
        assertTrue(tok.decode(ids, false).contains("<extra_id_1>"));
    }

    @Test
    void emptyAndWhiteSpaceGiveEosAlone() {
        assertArrayEquals(new long[] {1}, tok.encode(""));
        assertArrayEquals(new long[] {1}, tok.encode("   \t\n  "));
        assertArrayEquals(new long[] {1}, tok.encode("\u00a0\u3000\u2028"));
        assertEquals("", tok.decode(tok.encode("")));
    }

    /** decode(encode(s)) is normalize(s) whenever every character of s is in the vocabulary. */
    private static void assertRoundTrip(String s) {
        String expected = TextNormalizer.normalize(s);
        assertEquals(expected, tok.decode(tok.encode(s)), "round trip of [" + s + "]");
    }

    private static boolean covered(String s) {
        String n = TextNormalizer.normalize(s);
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (cp != ' ' && tok.tokenToId(new String(Character.toChars(cp))) == tok.unkId()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void roundTripsEdgeCases() {
        for (String s : List.of("Hello, world!", "  leading and trailing  ", "tabs\tand\nnew\r\nlines",
                "many     spaces", "non\u00a0breaking\u2009thin\u3000ideographic\u2028line\u0085nel",
                "café naïve façade Ångström ½ x² ﬁne ＡＢＣ", "“curly” ‘quotes’ — dashes – … ellipsis",
                "don't can't it's", "1961 3.14 $5,000 100% #1 a+b=c", "http://example.com/a?b=c&d=e",
                "user@example.com", "(parens) [brackets] {braces} <angles>", "ALL CAPS and MiXeD",
                "a", ".")) {
            assertTrue(covered(s), "not covered: " + s);
            assertRoundTrip(s);
        }
        // the metaspace mark in the input decodes as a space (as in T5): not a round trip
        assertEquals("x   y", tok.decode(tok.encode("x ▁ y")));
        // NFKC: compatibility characters come back in their normal form
        assertEquals("fine ABC 1⁄2", tok.decode(tok.encode("ﬁne ＡＢＣ ½")));
    }

    @Test
    void unknownCharactersBecomeUnk() {
        long[] ids = tok.encode("日本 🙂");
        for (int i = 0; i < ids.length - 1; i++) {
            String t = tok.idToToken(ids[i]);
            assertTrue(ids[i] == tok.unkId() || t.equals(TextNormalizer.META), t);
        }
        assertTrue(java.util.Arrays.stream(ids).anyMatch(id -> id == tok.unkId()));
    }

    @Test
    void roundTripsTheCorpus() throws IOException {
        List<String> strings = new ArrayList<>();
        List<String> lines = RepoData.pretrainLines();
        for (int i = 0; i < lines.size(); i += 25) {
            strings.add(lines.get(i));
        }
        for (String task : RepoData.TASKS) {
            List<String> test = Files.readAllLines(RepoData.task(task).resolve("test.jsonl"), StandardCharsets.UTF_8);
            for (int i = 0; i < test.size(); i += 4) {
                JsonObject o = JsonParser.parseString(test.get(i)).getAsJsonObject();
                strings.add(o.has("body") ? o.get("subject").getAsString() + " " + o.get("body").getAsString()
                        : o.get("text").getAsString());
            }
        }
        int skipped = 0;
        int checked = 0;
        long tokens = 0;
        long words = 0;
        for (String s : strings) {
            if (!covered(s)) {
                skipped++;
                continue;
            }
            long[] ids = tok.encode(s);
            tokens += ids.length - 1;
            words += s.isBlank() ? 0 : TextNormalizer.normalize(s).split(" ").length;
            assertRoundTrip(s);
            checked++;
        }
        assertTrue(checked > 2000, checked + " strings checked");
        assertTrue(skipped <= strings.size() / 100, skipped + " of " + strings.size() + " have unknown characters");
        double perWord = (double) tokens / words;
        System.out.printf("round trip: %d strings, %d skipped (unknown characters), %.3f tokens per word%n",
                checked, skipped, perWord);
        assertTrue(perWord < 1.8, "tokens per word " + perWord);
    }

    /** Every verbalizer target of every task is one token with no unknown piece. */
    @Test
    void verbalizerWordsAreSingleTokens() throws IOException {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (String task : RepoData.TASKS) {
            JsonObject v = RepoData.taskJson(task).getAsJsonObject("verbalizer");
            for (Map.Entry<String, JsonElement> e : v.entrySet()) {
                String target = e.getValue().getAsString();
                long[] ids = tok.encode(target, false);
                for (long id : ids) {
                    assertNotEquals(tok.unkId(), id, task + ": " + target);
                }
                lengths.put(task + "/" + target, ids.length);
            }
        }
        for (Map.Entry<String, Integer> e : lengths.entrySet()) {
            assertEquals(1, e.getValue(), "multi-token verbalizer word " + e.getKey() + " (" + lengths + ")");
        }
    }

    @Test
    void frequentPiecesHaveLowIds() {
        // T5's convention (vocab initialisation samples the 5,000 lowest ids): common words come first.
        for (String w : List.of("▁the", "▁of", "▁and", ".", ",")) {
            long id = tok.tokenToId(w);
            assertTrue(id > 2 && id < 50, w + " has id " + id);
        }
        long rare = tok.tokenToId("▁oxidation");
        assertTrue(rare == tok.unkId() || rare > 1000, "▁oxidation has id " + rare);
    }

    @Test
    void configSaysTheSentinelCount() throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(RepoData.tokenizer().resolve("tokenizer_config.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(100, c.get("extra_ids").getAsInt());
        assertTrue(Files.size(RepoData.tokenizer().resolve("tokenizer.json")) < 1_000_000);
    }
}
