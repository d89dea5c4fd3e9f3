package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.Example;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The keyword task: its answer is a content word of the input's own text, rarer words asked more often. */
class KeywordTaskTest {

    private static List<Passage> passages(String... texts) {
        List<Passage> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            out.add(new Passage(i, Arrays.asList(texts[i].split(" "))));
        }
        return out;
    }

    @Test
    void functionWordsAreTheCommonestAndAreNeverAnswers() {
        // "the", "and", "of" and 147 more words are in every passage: the 150 function words. "topic" words are in
        // a seventh of the passages, "word" words in one each.
        StringBuilder common = new StringBuilder("the and of");
        for (int w = 3; w < KeywordTask.FUNCTION_WORDS; w++) {
            common.append(" common").append(w);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add(common + " word" + i + " topic" + (i % 7));
        }
        KeywordTask task = KeywordTask.of(passages(texts.toArray(String[]::new)));
        assertTrue(task.isFunctionWord("the") && task.isFunctionWord("common149"));
        assertFalse(task.isFunctionWord("topic3") || task.isFunctionWord("word3"));
        assertEquals(List.of("word3", "topic3"), task.candidates("The, and of: word3 topic3 common7 42 ab Word3"),
                "content words once each, in order; function words, numbers and words under 3 letters left out");
        assertNull(task.answer("the and of 42 ab", new SplittableRandom(1)), "a text with no content word has no answer");
    }

    @Test
    void rarerWordsAreDrawnInProportionToTheirInverseDocumentFrequency() {
        // 150 words in all 200 passages are the function words; "common" is in 100 passages, "rare" in one:
        // idf log(201/100) = 0.698 against log(201/1) = 5.303, so "common" is drawn 11.6 % of the time.
        StringBuilder stop = new StringBuilder();
        for (int w = 0; w < KeywordTask.FUNCTION_WORDS; w++) {
            stop.append("stop").append(w).append(' ');
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add(stop + (i < 100 ? "common" : "other") + (i == 0 ? " rare" : ""));
        }
        KeywordTask task = KeywordTask.of(passages(texts.toArray(String[]::new)));
        assertTrue(task.isFunctionWord("stop0") && !task.isFunctionWord("common"));
        Map<String, Integer> counts = new HashMap<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            counts.merge(task.answer("stop1 common stop2 rare", random), 1, Integer::sum);
        }
        assertEquals(Set.of("common", "rare"), counts.keySet());
        double share = counts.get("common") / 2000.0;
        double expected = Math.log(201 / 100.0) / (Math.log(201 / 100.0) + Math.log(201));
        assertTrue(Math.abs(share - expected) < 0.025, "share of common " + share + ", expected " + expected);
    }

    @Test
    void aKeywordExampleAnswersWithAWordOfItsOwnInput() {
        T5Tokenizer tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        try (tokenizer) {
            List<Passage> corpus = Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz")).subList(0, 3000);
            PromptabilityMixture mixture = new PromptabilityMixture(corpus, LabelWords.of(tokenizer, Set.of("spam")),
                    tokenizer, 128, MixtureRecipe.KEYWORDS, 3);
            int keywords = 0;
            Set<String> answers = new HashSet<>();
            for (Example e : mixture.sample(1000, false, new SplittableRandom(2))) {
                if (e.target()[0] == tokenizer.sentinelId(0)) {
                    continue; // span corruption
                }
                keywords++;
                String answer = tokenizer.decode(Arrays.copyOf(e.target(), e.target().length - 1), true).trim();
                String input = tokenizer.decode(e.input(), true).toLowerCase();
                assertTrue(Passages.normalize(input.replace(" ", "|")).length() > 0);
                boolean found = false;
                for (String w : input.split("\\s+")) {
                    found |= Passages.normalize(w).equals(answer);
                }
                assertTrue(found, "answer '" + answer + "' is not a word of the input: " + input);
                answers.add(answer);
            }
            assertTrue(Math.abs(keywords - 700) < 60, "keyword examples of 1000: " + keywords);
            assertTrue(answers.size() > 400, "distinct answers: " + answers.size());
            assertFalse(mixture.tasks().stream().anyMatch(t -> t.name().startsWith("groups")),
                    "the keyword recipe leaves no share to the group tasks");
        }
    }
}
