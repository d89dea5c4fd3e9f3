package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.Example;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The missing-word choice of {@code t5-mini-choice}'s recipe ({@code keywords-choice}): options first, then the passage
 * without the answer word; the answer is one of the options and a pool word (never an evaluation label word), and
 * the other options do not occur in the passage, so the choice can only be made from the rest of the text.
 */
class MissingWordTest {

    @Test
    void theAnswerIsAnOptionTakenOutOfThePassageAndNeverALabelWord() {
        T5Tokenizer tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        try (tokenizer) {
            List<Passage> corpus = Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz")).subList(0, 3000);
            Set<String> labels = Set.of("spam", "normal", "science", "religion", "computer");
            LabelWords pool = LabelWords.of(tokenizer, labels);
            PromptabilityMixture mixture = new PromptabilityMixture(corpus, pool, tokenizer, 64,
                    MixtureRecipe.KEYWORDS_CHOICE, 3);
            SplittableRandom random = new SplittableRandom(4);
            for (int i = 0; i < 300; i++) {
                Example e = mixture.missingWordExample(random);
                String answer = tokenizer.decode(Arrays.copyOf(e.target(), e.target().length - 1), true).trim();
                assertFalse(labels.contains(answer), "an evaluation label word is an answer: " + answer);
                assertTrue(pool.all().contains(answer), "answer outside the pool: " + answer);
                // Pool words are single tokens: the options are the first 2-5 ids, then 0-18 filler ids, then the text.
                assertTrue(e.target().length == 2, "one answer token and eos");
                long id = e.target()[0];
                long[] in = e.input();
                assertTrue(Arrays.stream(in, 0, 5).anyMatch(x -> x == id), "the answer is one of the options first");
                // The passage (after the options and at most 18 filler tokens) lacks the answer as a word ("songs"
                // may stay when "song" is the answer: words are removed whole).
                long[] text = Arrays.copyOfRange(in, Math.min(in.length, 5 + PromptabilityMixture.MAX_FILLER), in.length);
                long later = Arrays.stream(tokenizer.decode(text, true).split("\\s+"))
                        .filter(w -> Passages.normalize(w).equals(answer)).count();
                assertTrue(later == 0, "the answer is still in the passage: " + answer + " in " + tokenizer.decode(text, true));
            }
            assertTrue(mixture.tasks().stream().anyMatch(t -> t.name().equals("missing-word")));
        }
    }
}
