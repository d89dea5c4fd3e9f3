package dev.prompttune.tools.corpus;

import com.google.gson.JsonObject;
import dev.prompttune.tools.corpus.Fortunes.Fortune;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code fortune-topic} task: fortunes of five topic files, filtered, deduplicated, a text in two of them dropped.
 */
final class FortuneTask {

    /** The task's name (its folder under {@code data/tasks}). */
    static final String NAME = "fortune-topic";

    private FortuneTask() {}

    /** The fortune-topic task from the fortune files; the dev/test fortunes' keys go to {@code excludedKeys}. */
    static TaskSet build(long seed, Map<String, List<Fortune>> fortunes, Set<String> excludedKeys) {
        TaskSet t = new TaskSet(NAME,
                "Fortune cookies (Debian fortunes): which topic file is a fortune (quote, joke, aphorism) from?"
                        + " computers, politics, science, work or art.",
                "fortune: {text}", "label", CorpusBuilder.FORTUNE_WORDS);
        // Topics of each normalised text, over every file: a text in two task topics is ambiguous.
        Map<String, Set<String>> topicsOfKey = new HashMap<>();
        fortunes.forEach((topic, list) -> list.forEach(
                f -> topicsOfKey.computeIfAbsent(Texts.key(f.text()), k -> new TreeSet<>()).add(topic)));
        JsonObject available = new JsonObject();
        int ambiguous = 0;
        for (String topic : CorpusBuilder.FORTUNE_WORDS.keySet()) {
            List<Fortune> pool = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Fortune f : fortunes.getOrDefault(topic, List.of())) {
                int words = Texts.wordCount(f.text());
                String key = Texts.key(f.text());
                if (words < CorpusBuilder.FORTUNE_MIN_WORDS || words > CorpusBuilder.FORTUNE_MAX_WORDS || Texts.letterFraction(f.text()) < 0.6
                        || !Texts.looksEnglish(f.text()) || !seen.add(key)) {
                    continue;
                }
                Set<String> taskTopics = new HashSet<>(topicsOfKey.get(key));
                taskTopics.retainAll(CorpusBuilder.FORTUNE_WORDS.keySet());
                if (taskTopics.size() > 1) {
                    ambiguous++;
                    continue;
                }
                pool.add(f);
            }
            available.addProperty(topic, pool.size());
            List<Fortune> chosen = Texts.shuffled(pool, Texts.random(seed, 300 + topic.hashCode()));
            int i = 0;
            for (String split : List.of("test", "dev", "train")) {
                int n = switch (split) {
                    case "test" -> CorpusBuilder.FORTUNE_TEST_PER_CLASS;
                    case "dev" -> CorpusBuilder.FORTUNE_DEV_PER_CLASS;
                    default -> CorpusBuilder.FORTUNE_TRAIN_PER_CLASS;
                };
                for (int k = 0; k < n && i < chosen.size(); k++, i++) {
                    Fortune f = chosen.get(i);
                    Map<String, String> e = new LinkedHashMap<>();
                    e.put("id", topic + "/" + String.format("%04d", f.index()));
                    e.put("text", f.text());
                    e.put("label", topic);
                    t.split(split).add(e);
                    if (!split.equals("train")) {
                        excludedKeys.add(Texts.key(f.text()));
                    }
                }
            }
        }
        for (String split : TaskSet.SPLITS) {
            Collections.shuffle(t.split(split), Texts.random(seed, 30 + split.hashCode()));
        }
        JsonObject c = t.construction;
        c.addProperty("source", "Debian fortunes / fortunes-min (usr/share/games/fortunes/<topic>)");
        c.add("usable_per_topic", available);
        c.addProperty("dropped_in_two_task_topics", ambiguous);
        c.addProperty("filter", CorpusBuilder.FORTUNE_MIN_WORDS + " to " + CorpusBuilder.FORTUNE_MAX_WORDS + " words, mostly letters (no"
                + " ASCII art or tables), English; overstriking undone, whitespace collapsed; duplicates (normalised"
                + " text) kept once");
        c.addProperty("sampling", "per topic " + CorpusBuilder.FORTUNE_TEST_PER_CLASS + " test, " + CorpusBuilder.FORTUNE_DEV_PER_CLASS
                + " dev, the rest (up to " + CorpusBuilder.FORTUNE_TRAIN_PER_CLASS + ") train, at random (seed " + seed + ")");
        c.addProperty("seed", seed);
        return t;
    }
}
