package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizedSplitTest {

    private static T5Tokenizer tokenizer;
    private static final Template TEMPLATE = Template.of("question: {q}");
    private static final Verbalizer VERBALIZER = Verbalizer.of(map("0", "no", "1", "yes"));

    @BeforeAll
    static void load() {
        tokenizer = T5Tokenizers.load(Fixtures.dir("tokenizer"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Split split(String name, String... qAndLabel) {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < qAndLabel.length; i += 2) {
            ex.add(new Example(qAndLabel[i + 1] == null ? map("q", qAndLabel[i]) : map("q", qAndLabel[i], "label",
                    qAndLabel[i + 1]), name + ".jsonl", i / 2 + 1));
        }
        return new Split(name, name + ".jsonl", ex);
    }

    private static int[] ints(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    void tokenizesInputsTargetsAndLabels() {
        Split s = split("train", "is the sky blue", "1", "is water dry", "0");
        TokenizedSplit t = TokenizedSplit.tokenize(s, TEMPLATE, VERBALIZER, tokenizer, 512, 16);
        assertEquals(2, t.size());
        assertArrayEquals(ints(tokenizer.encode("question: is the sky blue")), t.inputIds(0));
        assertArrayEquals(ints(tokenizer.encode("yes")), t.targetIds(0));
        assertArrayEquals(ints(tokenizer.encode("no")), t.targetIds(1));
        assertEquals(1, t.labelIndex(0));
        assertEquals(0, t.labelIndex(1));
        assertEquals(0, t.truncatedInputs());
        assertEquals(t.inputIds(1).length, t.inputLengths()[1]);
        assertEquals(s.fingerprint(), t.fingerprint());
        assertEquals(tokenizer.padId(), t.padId());
    }

    @Test
    void truncationKeepsEosLastAndCounts() {
        Split s = split("train", "the quick brown fox jumps over the lazy dog", "1", "a", "0");
        long[] full = tokenizer.encode("question: the quick brown fox jumps over the lazy dog");
        assertTrue(full.length > 6, Arrays.toString(full));
        TokenizedSplit t = TokenizedSplit.tokenize(s, TEMPLATE, VERBALIZER, tokenizer, 6, 1);
        assertEquals(6, t.inputIds(0).length);
        assertArrayEquals(Arrays.copyOf(ints(full), 5), Arrays.copyOf(t.inputIds(0), 5));
        assertEquals(tokenizer.eosId(), t.inputIds(0)[5]);
        assertEquals(tokenizer.eosId(), t.inputIds(1)[t.inputIds(1).length - 1]);
        assertEquals(1, t.truncatedInputs());
        assertArrayEquals(new int[] {(int) tokenizer.eosId()}, t.targetIds(0), "target cut to eos");
        assertEquals(2, t.truncatedTargets());
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> TokenizedSplit.tokenize(s, TEMPLATE, VERBALIZER, tokenizer, 0, 4));
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
    }

    @Test
    void unlabeledExamplesHaveNoTargetAndClassMinusOne() {
        TokenizedSplit t = TokenizedSplit.tokenize(split("test", "is it", null), TEMPLATE, VERBALIZER, tokenizer,
                64, 8);
        assertEquals(0, t.targetIds(0).length);
        assertEquals(-1, t.labelIndex(0));
    }

    @Test
    void unknownLabelFailsWithLocation() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> TokenizedSplit.tokenize(
                split("dev", "a", "1", "b", "2"), TEMPLATE, VERBALIZER, tokenizer, 64, 8));
        assertEquals("unknown label '2' in dev.jsonl:2; the verbalizer knows: 0, 1", e.getMessage());
    }

    @Test
    void cacheTokenizesOncePerKey() {
        CountingTokenizer counting = new CountingTokenizer(tokenizer);
        TokenizationCache cache = new TokenizationCache(4);
        Split s = split("train", "is the sky blue", "1", "is water dry", "0", "is fire hot", "1");
        TokenizedSplit first = cache.get(s, TEMPLATE, VERBALIZER, counting, 64, 8);
        assertEquals(3 + 2, counting.encodes, "3 inputs + 2 distinct targets");
        // Same content, new objects: still a hit.
        Split same = split("train", "is the sky blue", "1", "is water dry", "0", "is fire hot", "1");
        TokenizedSplit second = cache.get(same, Template.of("question: {q}"),
                Verbalizer.of(map("0", "no", "1", "yes")), counting, 64, 8);
        assertSame(first, second);
        assertEquals(5, counting.encodes, "no tokenizing on a hit");
        assertEquals(1, cache.hits());
        // Any part of the key changing tokenizes again.
        assertNotSame(first, cache.get(s, TEMPLATE, VERBALIZER, counting, 32, 8));
        assertNotSame(first, cache.get(s, TEMPLATE, VERBALIZER, counting, 64, 4));
        assertNotSame(first, cache.get(s, Template.of("q: {q}"), VERBALIZER, counting, 64, 8));
        assertNotSame(first, cache.get(s, TEMPLATE, Verbalizer.of(map("0", "false", "1", "true")), counting, 64, 8));
        assertNotSame(first, cache.get(split("train", "is the sky green", "1", "is water dry", "0", "is fire hot",
                "1"), TEMPLATE, VERBALIZER, counting, 64, 8));
        assertEquals(5 * 6, counting.encodes);
        assertEquals(6, cache.misses());
        assertEquals(4, cache.size(), "least recently used entries dropped");
    }

    @Test
    void tokenizerIdentityIsByVocabularyAndClass() {
        TokenizationCache cache = new TokenizationCache(2);
        try (T5Tokenizer again = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            assertEquals(cache.identity(tokenizer), cache.identity(again), "two loads of one tokenizer");
        }
        assertTrue(!cache.identity(tokenizer).equals(cache.identity(new CountingTokenizer(tokenizer))),
                "another class is another tokenizer");
    }

    @Test
    void taskDataTokenizesThroughTheSharedCache() {
        TaskData task = TaskData.builder().train(split("train", "is the sky blue", "1", "is it", "0"))
                .template(TEMPLATE).verbalizer(VERBALIZER).build();
        TokenizedSplit a = task.tokenize(task.train(), tokenizer, 64, 8);
        assertSame(a, task.tokenize(task.train(), tokenizer, 64, 8));
    }
}
