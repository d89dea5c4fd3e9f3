package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.Example;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shape of the mixture's examples: options first, the answer one of them, held-out documents kept apart. */
class PromptabilityMixtureTest {

    private static T5Tokenizer tokenizer;
    private static PromptabilityMixture mixture;
    private static List<Passage> passages;

    @BeforeAll
    static void build() {
        tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        passages = Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz")).subList(0, 4000);
        mixture = new PromptabilityMixture(passages, LabelWords.of(tokenizer, Set.of("spam", "normal")), tokenizer, 128, MixtureRecipe.OPTIONS, 3);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void everyClassificationAnswerIsOneWordThatTheInputNamesBeforeItsText() {
        int classification = 0;
        int spans = 0;
        int reconstructions = 0;
        for (Example e : mixture.sample(2000, false, new SplittableRandom(11))) {
            assertTrue(e.input().length <= 128, "input length " + e.input().length);
            assertEquals(tokenizer.eosId(), e.input()[e.input().length - 1]);
            assertEquals(tokenizer.eosId(), e.target()[e.target().length - 1]);
            if (e.target()[0] == tokenizer.sentinelId(0)) {
                spans++;
                continue;
            }
            if (e.target().length > 2) {
                reconstructions++;
                continue;
            }
            classification++;
            long answer = e.target()[0];
            boolean named = false;
            for (int i = 0; i < 8 && i < e.input().length; i++) {
                named |= e.input()[i] == answer;
            }
            assertTrue(named, "answer " + tokenizer.idToToken(answer) + " not among the first input tokens: "
                    + tokenizer.decode(e.input(), false));
        }
        assertTrue(Math.abs(spans - 2000 * MixtureRecipe.OPTIONS.span) < 100, "span corruption of 2000: " + spans);
        assertTrue(Math.abs(reconstructions - 2000 * MixtureRecipe.OPTIONS.reconstruct) < 130,
                "reconstructions of 2000: " + reconstructions);
        assertEquals(2000 - spans - reconstructions, classification);
    }

    @Test
    void wordPresentAnswersOccurInThePassageAndTheOthersDoNot() {
        // An example whose options are distinct pool words, one of them in the text: in word-present examples the
        // answer is the option found in the passage.
        int checked = 0;
        for (Example e : mixture.sample(3000, false, new SplittableRandom(5))) {
            String input = tokenizer.decode(e.input(), true);
            String answer = tokenizer.decode(new long[] {e.target()[0]}, true).trim();
            if (e.target()[0] == tokenizer.sentinelId(0) || e.target().length > 2 || !isWordPresentShape(input)) {
                continue;
            }
            checked++;
            assertTrue(Arrays.stream(input.split("\\s+")).skip(1).map(Passages::normalize).anyMatch(answer::equals),
                    "answer '" + answer + "' not in: " + input);
        }
        assertTrue(checked > 0);
    }

    private static boolean isWordPresentShape(String input) {
        Set<String> fixed = new HashSet<>();
        mixture.tasks().forEach(t -> fixed.addAll(t.labels()));
        return !fixed.contains(input.split("\\s+")[0]);
    }

    @Test
    void heldOutExamplesComeFromHeldOutDocumentsOnly() {
        assertTrue(mixture.heldOutPassages() > 0);
        Set<String> trainTexts = new HashSet<>();
        for (Passage p : passages) {
            if (p.document() % PromptabilityMixture.HELD_OUT_EVERY != 0) {
                trainTexts.add(p.text());
            }
        }
        for (Example e : mixture.sample(300, true, new SplittableRandom(2))) {
            String input = tokenizer.decode(e.input(), true);
            for (String t : trainTexts) {
                if (t.length() > 60 && input.contains(t)) {
                    throw new AssertionError("held-out example holds a training passage: " + t);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameExamples() {
        PromptabilityMixture again = new PromptabilityMixture(passages, LabelWords.of(tokenizer, Set.of("spam", "normal")),
                tokenizer, 128, MixtureRecipe.OPTIONS, 3);
        List<Example> a = mixture.sample(200, false, new SplittableRandom(9));
        List<Example> b = again.sample(200, false, new SplittableRandom(9));
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).input(), b.get(i).input());
            assertArrayEquals(a.get(i).target(), b.get(i).target());
        }
        assertEquals(mixture.tasks(), again.tasks());
    }

    @Test
    void groupTasksDrawTheirClassesUniformly() {
        // groups-2a answers with its two words; classes are drawn uniformly whatever the cluster sizes.
        MixtureTask g = mixture.tasks().get(0);
        long first = tokenizer.encode(g.labels().get(0), false)[0];
        long second = tokenizer.encode(g.labels().get(1), false)[0];
        int a = 0;
        int b = 0;
        for (Example e : mixture.sample(20_000, false, new SplittableRandom(4))) {
            if (e.target().length == 2 && e.input()[0] == first && e.input()[1] == second) {
                if (e.target()[0] == first) {
                    a++;
                } else if (e.target()[0] == second) {
                    b++;
                }
            }
        }
        assertTrue(a + b > 150, "groups-2a examples: " + (a + b));
        assertTrue(Math.abs(a - b) < 0.2 * (a + b), a + " vs " + b);
    }

    @Test
    void kMeansSeparatesTwoObviousTopics() {
        List<Passage> toy = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String topic = i % 2 == 0 ? "cat dog horse farm barn hay" : "stock market price trade bank money";
            toy.add(new Passage(i, List.of((topic + " filler" + (i % 7) + " text").split(" "))));
        }
        int[] group = PassageClusters.of(toy).kMeans(2, 1);
        for (int i = 2; i < 40; i++) {
            assertEquals(group[i % 2], group[i], "passage " + i);
        }
        assertTrue(group[0] != group[1]);
    }

    @Test
    void aReconstructionWritesBackThePassageOpeningFromADamagedCopy() {
        int seen = 0;
        long matchedTokens = 0;
        long targetTokens = 0;
        for (Example e : mixture.sample(500, false, new SplittableRandom(8))) {
            if (e.target()[0] == tokenizer.sentinelId(0) || e.target().length <= 2) {
                continue;
            }
            seen++;
            // Every target token but eos is in the input in order, except the dropped ones: the input is a
            // subsequence of the passage, and the target a prefix of it.
            long[] in = e.input();
            long[] target = e.target();
            assertTrue(target.length <= PromptabilityMixture.RECONSTRUCT_TARGET + 1);
            int matched = 0;
            int j = 0;
            for (int i = 0; i < target.length - 1 && j < in.length - 1; i++) {
                if (in[j] == target[i]) {
                    matched++;
                    j++;
                }
            }
            assertTrue(matched >= (target.length - 1) * 0.5, "kept " + matched + " of " + (target.length - 1));
            matchedTokens += matched;
            targetTokens += target.length - 1;
        }
        assertTrue(seen > 100, "reconstructions seen: " + seen);
        double kept = (double) matchedTokens / targetTokens;
        assertTrue(kept > 0.75 && kept < 0.95, "share of target tokens found in order in the input: " + kept);
    }
}
