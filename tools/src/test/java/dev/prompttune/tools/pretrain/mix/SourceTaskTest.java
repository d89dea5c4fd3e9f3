package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.Example;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source task on the committed corpus: each question's answer is the name of its passage's own fortune file or
 * Brown category, never a source an evaluation task classifies and never an evaluation label word. The sources are
 * read here from {@code corpus/sources.txt.gz} directly, not through {@link DocumentSources}.
 */
class SourceTaskTest {

    private static T5Tokenizer tokenizer;
    private static MixtureHoldOut rules;
    private static List<Passage> kept;
    /** Per document: the raw line of sources.txt.gz. */
    private static List<String> lines;

    @BeforeAll
    static void build() {
        tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        rules = MixtureHoldOut.of(RepoData.dir().resolve("tasks"));
        kept = rules.filter(Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz")));
        lines = RepoData.gzipLines("corpus/sources.txt.gz");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void theSourcesFileNamesEveryCorpusDocumentAndMarksTheEvaluatedSources() {
        int documents = 0;
        String previous = "";
        for (String line : RepoData.pretrainLines()) {
            if (line.isBlank() && !previous.isBlank()) {
                documents++; // an empty line ends a document
            }
            previous = line;
        }
        assertEquals(documents, lines.size(), "one sources line per corpus document");
        for (String line : lines) {
            // The evaluation tasks' own sources: every mail, the five fortune files, the Brown genres' categories.
            boolean evaluated = line.equals("mail\tspam")
                    || line.matches("fortune/(computers|politics|science|work|art)\tfortune-topic")
                    || line.matches("brown/(news|editorial|reviews|fiction|mystery|science_fiction|adventure|romance"
                    + "|learned|government|religion)\tbrown-genre");
            boolean other = line.matches("fortune/[a-z-]+") && !line.matches("fortune/(computers|politics|science"
                    + "|work|art)") || line.matches("brown/(belles_lettres|lore|hobbies|humor)");
            assertTrue(evaluated ^ other, "unexpected sources line: '" + line + "'");
        }
    }

    @Test
    void everyQuestionNamesItsPassagesOwnUnevaluatedSource() {
        Set<String> evaluation = rules.labelWords();
        TopicTask task = TopicTask.ofSources(kept, DocumentSources.beside(RepoData.dir().resolve(
                "corpus/pretrain.txt.gz")), evaluation);
        Set<String> names = new HashSet<>();
        task.names().forEach(names::addAll);
        assertTrue(names.size() >= 25, "sources named: " + names);
        for (String w : evaluation) {
            assertFalse(names.contains(w), "a source named by the evaluation label word " + w);
        }
        SplittableRandom random = new SplittableRandom(5);
        int asked = 0;
        for (int i = 0; i < kept.size(); i++) {
            String line = lines.get(kept.get(i).document());
            if (!task.asks(i)) {
                continue;
            }
            asked++;
            assertFalse(line.contains("\t"), "asked about a source an evaluation task classifies: " + line);
            Set<String> inText = Passages.normalizedWords(kept.get(i).text());
            TopicTask.Question q = task.question(i, inText, random);
            if (q == null) {
                continue;
            }
            assertEquals(line.substring(line.indexOf('/') + 1), q.answer(), "answer for a passage of " + line);
            for (String o : q.options()) {
                assertTrue(o.equals(q.answer()) || !inText.contains(o), "distractor " + o + " is in the passage");
            }
        }
        assertTrue(asked > 5_000, "passages asked: " + asked);
    }

    @Test
    void theMixtureWritesSourceQuestionsAndKeepsTheHoldOutRules() {
        PromptabilityMixture mixture = new PromptabilityMixture(kept.subList(0, 6000),
                DocumentSources.beside(RepoData.dir().resolve("corpus/pretrain.txt.gz")),
                LabelWords.of(tokenizer, rules.labelWords()), tokenizer, 64, MixtureRecipe.KEYWORDS_TOPICS_SOURCES, 7);
        assertTrue(mixture.answerWords().containsAll(mixture.sourceNames()));
        assertTrue(rules.violations(mixture.passages(), mixture.answerWords()).isEmpty());
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 50; n++) {
            Example e = mixture.sourceExample(random);
            assertNotNull(e);
            String target = tokenizer.decode(e.target(), true).trim();
            assertTrue(mixture.sourceNames().contains(target), "target '" + target + "' is no source name");
            assertTrue(tokenizer.decode(e.input(), true).contains(target), "the answer is among the options");
        }
    }

    @Test
    void aSourcesFileOfAnotherCorpusOrNoneIsAClearError() {
        PromptTuneException shortFile = assertThrows(PromptTuneException.class, () -> TopicTask.ofSources(kept,
                DocumentSources.of(List.of("fortune/law"), List.of("")), Set.of()));
        assertTrue(shortFile.getMessage().contains("names 1") && shortFile.getMessage().contains("build-corpus"),
                shortFile.getMessage());
        Path nowhere = Path.of("/nonexistent/corpus/pretrain.txt.gz");
        PromptTuneException missing = assertThrows(PromptTuneException.class, () -> DocumentSources.beside(nowhere));
        assertTrue(missing.getMessage().contains("/nonexistent/corpus/sources.txt.gz"), missing.getMessage());
    }
}
