package dev.prompttune.tools.pretrain.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promptability mixture's hold-out rules on the committed corpus and tasks: no dev/test text and no evaluation
 * label word in what the shipped default model was trained on. The text check here is written independently of
 * {@link MixtureHoldOut} (joined strings, not hashes).
 */
class MixtureHoldOutTest {

    private static T5Tokenizer tokenizer;
    private static MixtureHoldOut rules;
    private static List<Passage> all;
    private static List<Passage> kept;

    @BeforeAll
    static void build() {
        tokenizer = T5Tokenizers.load(RepoData.tokenizer());
        rules = MixtureHoldOut.of(RepoData.dir().resolve("tasks"));
        all = Passages.read(RepoData.dir().resolve("corpus/pretrain.txt.gz"));
        kept = rules.filter(all);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void noKeptPassageSharesATwelveWordRunWithAnyDevOrTestInput() throws IOException {
        Set<String> runs = new HashSet<>();
        for (String task : RepoData.TASKS) {
            for (String split : List.of("dev", "test")) {
                for (String line : Files.readAllLines(RepoData.task(task).resolve(split + ".jsonl"))) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    StringBuilder text = new StringBuilder();
                    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                        if (!Set.of("id", "label", "category", "doc").contains(e.getKey())) {
                            text.append(e.getValue().getAsString()).append(' ');
                        }
                    }
                    List<String> w = words(text.toString());
                    for (int i = 0; i + 12 <= w.size(); i++) {
                        runs.add(String.join(" ", w.subList(i, i + 12)));
                    }
                }
            }
        }
        assertTrue(runs.size() > 50_000, "dev/test runs read: " + runs.size());
        int touching = 0;
        for (Passage p : all) {
            List<String> w = words(p.text());
            boolean hit = false;
            for (int i = 0; i + 12 <= w.size() && !hit; i++) {
                hit = runs.contains(String.join(" ", w.subList(i, i + 12)));
            }
            if (hit) {
                touching++;
                assertFalse(kept.contains(p), "kept a passage sharing a run with dev/test text: " + p.text());
            }
        }
        assertEquals(all.size() - kept.size(), touching, "dropped exactly the touching passages");
    }

    @Test
    void noAnswerWordIsAnEvaluationLabelWord() {
        Set<String> evaluation = new HashSet<>();
        for (String task : RepoData.TASKS) {
            RepoData.taskJson(task).getAsJsonObject("verbalizer").entrySet()
                    .forEach(e -> evaluation.add(e.getValue().getAsString()));
        }
        assertEquals(evaluation, rules.labelWords());
        // OPTIONS has fixed answer words per task; KEYWORDS_TOPICS is the shipped default's recipe (t5-mini-topics):
        // its topic names are drawn from the same pool.
        for (MixtureRecipe recipe : List.of(MixtureRecipe.OPTIONS, MixtureRecipe.KEYWORDS_TOPICS)) {
            PromptabilityMixture mixture = new PromptabilityMixture(kept.subList(0, 3000),
                    LabelWords.of(tokenizer, rules.labelWords()), tokenizer, 128, recipe, 7);
            Set<String> answers = mixture.answerWords();
            assertTrue(answers.size() > 500, recipe + " answer words: " + answers.size());
            for (String w : evaluation) {
                assertFalse(answers.contains(w), recipe + ": evaluation label word '" + w + "' is a mixture answer");
            }
            assertTrue(rules.violations(mixture.passages(), answers).isEmpty(), recipe.key());
            if (recipe == MixtureRecipe.KEYWORDS_TOPICS) {
                assertTrue(mixture.topicNames().size() > 10, "topic groups: " + mixture.topicNames().size());
                // Checked against the label words directly, not through answerWords() (which adds the names itself).
                mixture.topicNames().forEach(names -> assertFalse(names.stream().anyMatch(evaluation::contains),
                        "a topic named by an evaluation label word: " + names));
            }
        }
    }

    @Test
    void theCheckCatchesAPlantedDevTextAndAPlantedLabelWord() throws IOException {
        String dev = Files.readAllLines(RepoData.task("brown-genre").resolve("dev.jsonl")).get(3);
        String text = JsonParser.parseString(dev).getAsJsonObject().get("text").getAsString();
        List<String> planted = new ArrayList<>(List.of("an", "innocent", "start"));
        planted.addAll(Arrays.asList(text.split("\\s+")).subList(5, 20));
        List<Passage> withLeak = new ArrayList<>(kept.subList(0, 100));
        withLeak.add(new Passage(-1, planted));
        List<String> v = rules.violations(withLeak, Set.of("dust", "news"));
        assertEquals(2, v.size(), v.toString());
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> rules.require(withLeak, Set.of("dust")));
        assertTrue(e.getMessage().contains("12-word run"), e.getMessage());
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            String n = w.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }
}
