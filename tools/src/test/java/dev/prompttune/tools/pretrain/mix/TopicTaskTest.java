package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The topic task: a group's names are the words its passages use most over the corpus rate; options name groups. */
class TopicTaskTest {

    /**
     * Three topics of 40 passages each; every passage has its topic's two marker words with probability 0.6 each,
     * and shared filler. Names must be the markers of each group (k-means finds the three topics), never the filler.
     */
    @Test
    void groupsAreNamedByTheirMarkerWords() {
        String[][] markers = {{"church", "prayer"}, {"engine", "wheel"}, {"court", "judge"}};
        List<Passage> passages = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(4);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 40; i++) {
                List<String> words = new ArrayList<>(List.of("filler", "words", "here", "again"));
                for (String m : markers[t]) {
                    if (random.nextDouble() < 0.6 || words.size() == 4 && m == markers[t][1]) {
                        words.add(m);
                    }
                }
                words.add("unique" + t + "x" + i);
                passages.add(new Passage(passages.size(), words));
            }
        }
        Set<String> pool = Set.of("church", "prayer", "engine", "wheel", "court", "judge", "filler", "words");
        // No function words here (with this tiny vocabulary all words would be among the 150 commonest): "filler" and
        // "words", in every passage, must be left out by their lift of 1.
        KeywordTask none = KeywordTask.of(List.of());
        TopicTask task = TopicTask.of(passages, PassageClusters.of(passages), pool, none, 3, 9);
        Set<Set<String>> named = new HashSet<>();
        for (List<String> n : task.names()) {
            if (!n.isEmpty()) {
                named.add(Set.copyOf(n.subList(0, 2)));
            }
        }
        assertEquals(Set.of(Set.of("church", "prayer"), Set.of("engine", "wheel"), Set.of("court", "judge")), named,
                "every topic named by its markers first: " + task.names());
        // Options: the answer names the passage's own topic; no distractor occurs in the text.
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < passages.size(); i++) {
            if (!task.asks(i)) {
                continue;
            }
            Set<String> inText = Passages.normalizedWords(passages.get(i).text());
            TopicTask.Question q = task.question(i, inText, r);
            assertTrue(Arrays.asList(markers[i / 40]).contains(q.answer()), q + " for topic " + i / 40);
            assertTrue(q.options().contains(q.answer()) && q.options().size() >= 2, q.toString());
            for (String o : q.options()) {
                assertTrue(o.equals(q.answer()) || !inText.contains(o), "distractor in the text: " + q);
            }
        }
    }

    @Test
    void aTopicExampleHasOptionsFirstAndNeverAnEvaluationLabelWord() {
        T5Tokenizer tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        try (tokenizer) {
            List<Passage> corpus = Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz")).subList(0, 4000);
            Set<String> labels = Set.of("science", "religion", "government", "news", "fiction");
            PromptabilityMixture mixture = new PromptabilityMixture(corpus, LabelWords.of(tokenizer, labels),
                    tokenizer, 64, MixtureRecipe.KEYWORDS_TOPICS, 3);
            int topics = 0;
            int hidden = 0;
            for (Example e : mixture.sample(600, false, new SplittableRandom(2))) {
                String answer = tokenizer.decode(Arrays.copyOf(e.target(), e.target().length - 1), true).trim();
                assertFalse(labels.contains(answer), "an evaluation label word is an answer: " + answer);
                String input = tokenizer.decode(e.input(), true).toLowerCase();
                String[] words = input.trim().split("\\s+");
                int head = Math.min(5, words.length);
                if (Arrays.asList(words).subList(0, head).contains(answer)) {
                    topics++; // options first: the answer is among the first words
                    if (!Arrays.asList(words).subList(head, words.length).contains(answer)) {
                        hidden++;
                    }
                }
            }
            // 40 % topic examples (a keyword example's answer can also sit in its first five words, rarely).
            assertTrue(topics > 200 && topics < 300, "topic examples of 600: " + topics);
            assertTrue(hidden > topics / 3, "answer out of the passage in " + hidden + " of " + topics);
            assertTrue(mixture.tasks().stream().anyMatch(t -> t.name().equals("topic")));
        }
    }
}
