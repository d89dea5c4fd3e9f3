package dev.prompttune.tools.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.ExampleReader;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The committed classification tasks under {@code data/tasks}: they load, are disjoint and match task.json. */
class TaskFilesTest {

    static List<String> tasks() {
        return RepoData.TASKS;
    }

    @Test
    void theThreeTasksArePresent() throws IOException {
        assertTrue(RepoData.taskNames().containsAll(RepoData.TASKS), "tasks present: " + RepoData.taskNames());
    }

    static TaskData load(String name) {
        JsonObject t = RepoData.taskJson(name);
        Map<String, String> verbalizer = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : t.getAsJsonObject("verbalizer").entrySet()) {
            verbalizer.put(e.getKey(), e.getValue().getAsString());
        }
        Path dir = RepoData.task(name);
        JsonObject files = t.getAsJsonObject("files");
        return TaskData.builder()
                .train(dir.resolve(files.get("train").getAsString()))
                .dev(dir.resolve(files.get("dev").getAsString()))
                .test(dir.resolve(files.get("test").getAsString()))
                .template(t.get("template").getAsString())
                .verbalizer(verbalizer)
                .labelField(t.get("label_field").getAsString())
                .build();
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void loadsWithTemplateAndVerbalizerFromTaskJson(String name) {
        TaskData data = load(name);
        JsonObject t = RepoData.taskJson(name);
        assertEquals(t.getAsJsonArray("classes").size(), data.verbalizer().size());
        assertTrue(data.isLabeled(data.test().orElseThrow()));
        for (Split s : data.splits()) {
            for (Example e : s.examples()) {
                String input = data.template().render(e);
                assertFalse(input.isBlank(), e.location());
                data.verbalizer().classOf(e); // known label
            }
        }
        // The template uses every text field the task documents; labels are words, not the label ids.
        assertTrue(data.template().slots().size() >= 1);
        for (String target : data.verbalizer().targets()) {
            assertTrue(target.matches("[a-z]+"), name + ": target '" + target + "' is not a single lower-case word");
        }
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void sizesAsDocumented(String name) {
        TaskData data = load(name);
        JsonObject sizes = RepoData.taskJson(name).getAsJsonObject("sizes");
        assertEquals(sizes.get("train").getAsInt(), data.train().size());
        assertEquals(sizes.get("dev").getAsInt(), data.dev().orElseThrow().size());
        assertEquals(sizes.get("test").getAsInt(), data.test().orElseThrow().size());
        assertTrue(data.train().size() >= 1000 && data.train().size() <= 2000, "train " + data.train().size());
        int dev = data.dev().orElseThrow().size();
        int test = data.test().orElseThrow().size();
        assertTrue(dev >= 200 && dev <= 300, "dev " + dev);
        assertTrue(test >= 300 && test <= 500, "test " + test);
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void classBalanceAndMajorityMatchTaskJson(String name) {
        TaskData data = load(name);
        JsonObject t = RepoData.taskJson(name);
        JsonObject balance = t.getAsJsonObject("class_balance");
        Map<String, Map<String, Integer>> counted = new HashMap<>();
        for (Split s : data.splits()) {
            Map<String, Integer> c = new LinkedHashMap<>();
            data.verbalizer().labels().forEach(l -> c.put(l, 0));
            for (Example e : s.examples()) {
                c.merge(e.get(data.labelField()), 1, Integer::sum);
            }
            counted.put(s.name(), c);
            Map<String, Integer> documented = new LinkedHashMap<>();
            balance.getAsJsonObject(s.name()).entrySet().forEach(x -> documented.put(x.getKey(),
                    x.getValue().getAsInt()));
            assertEquals(documented, c, name + "/" + s.name());
            for (int n : c.values()) {
                assertTrue(n > 0, name + "/" + s.name() + " lacks a class: " + c);
            }
            // balanced-ish: no class more than twice another
            int min = c.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            int max = c.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertTrue(max <= 2 * min, name + "/" + s.name() + " is unbalanced: " + c);
        }
        // Majority class: the most frequent training label; its accuracy on test as documented.
        Map<String, Integer> train = counted.get("train");
        String majority = data.verbalizer().labels().stream()
                .reduce((a, b) -> train.get(b) > train.get(a) ? b : a).orElseThrow();
        assertEquals(t.get("majority_class").getAsString(), majority);
        Split test = data.test().orElseThrow();
        double acc = Math.round(10000.0 * counted.get("test").get(majority) / test.size()) / 10000.0;
        assertEquals(t.getAsJsonObject("majority_class_accuracy").get("test").getAsDouble(), acc, 1e-9);
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void splitsAreDisjoint(String name) {
        TaskData data = load(name);
        Map<String, String> seenInput = new HashMap<>();
        Map<String, String> seenKey = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (Split s : data.splits()) {
            for (Example e : s.examples()) {
                String input = data.template().render(e);
                String before = seenInput.put(input, s.name());
                assertTrue(before == null, name + ": input of " + e.location() + " also in " + before + ": " + input);
                // also after normalisation (case, punctuation, spacing)
                String key = Texts.key(textOf(e));
                String other = seenKey.put(key, s.name());
                assertTrue(other == null || other.equals(s.name()), name + ": " + e.location()
                        + " duplicates a " + other + " example up to case and punctuation");
                assertTrue(ids.add(e.get("id")), name + ": id " + e.get("id") + " twice");
            }
        }
    }

    @Test
    void brownGenreIsSplitByDocument() {
        TaskData data = load("brown-genre");
        Map<String, String> splitOfDoc = new HashMap<>();
        for (Split s : data.splits()) {
            for (Example e : s.examples()) {
                String before = splitOfDoc.put(e.get("doc"), s.name());
                assertTrue(before == null || before.equals(s.name()), "document " + e.get("doc") + " in " + before
                        + " and " + s.name());
                int words = e.get("text").split(" ").length;
                assertTrue(words >= 60 && words <= 100, e.location() + ": " + words + " words");
            }
        }
    }

    @Test
    void spamBodiesAreTruncatedAndClean() {
        TaskData data = load("spam");
        for (Split s : data.splits()) {
            for (Example e : s.examples()) {
                assertTrue(e.get("body").split(" ").length <= 60, e.location());
                assertFalse(e.get("body").matches("(?s).*\\b(Content-Type|Content-Transfer-Encoding): .*"),
                        e.location() + " has MIME headers: " + e.get("body"));
                assertFalse(e.get("body").contains("=3D") || e.get("body").contains("=20"),
                        e.location() + " is still quoted-printable: " + e.get("body"));
            }
        }
    }

    private static String textOf(Example e) {
        return e.has("body") ? e.get("subject") + " " + e.get("body") : e.get("text");
    }

    /** No dev/test example shares a run of 12 normalised words with the pretraining text. */
    @Test
    void devAndTestTextsAreNotInThePretrainingText() {
        int window = CorpusBuilder.LEAK_WINDOW;
        Map<String, String> windows = new HashMap<>();
        for (String name : RepoData.TASKS) {
            TaskData data = load(name);
            for (Split s : List.of(data.dev().orElseThrow(), data.test().orElseThrow())) {
                for (Example e : s.examples()) {
                    String[] w = Texts.key(e.has("body") ? e.get("body") : e.get("text")).split(" ");
                    for (int i = 0; i + window <= w.length; i++) {
                        windows.put(String.join(" ", Arrays.copyOfRange(w, i, i + window)), e.location());
                    }
                }
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String line : RepoData.pretrainLines()) {
            String[] w = Texts.key(line).split(" ");
            for (int i = 0; i + window <= w.length; i++) {
                String hit = windows.get(String.join(" ", Arrays.copyOfRange(w, i, i + window)));
                if (hit != null) {
                    leaks.add(hit + " <- " + line.substring(0, Math.min(100, line.length())));
                    break;
                }
            }
        }
        assertTrue(leaks.isEmpty(), leaks.size() + " leaks, e.g. " + leaks.subList(0, Math.min(5, leaks.size())));
    }

    @Test
    void pretrainingTextIsFormattedAndCompact() throws IOException {
        List<String> lines = RepoData.pretrainLines();
        long words = 0;
        for (String line : lines) {
            assertEquals(line, line.strip(), "a line with outer white space");
            assertFalse(line.contains("\t") || line.contains("  "), "uncollapsed white space: " + line);
            words += line.isEmpty() ? 0 : line.split(" ").length;
        }
        assertTrue(words > 1_000_000, words + " words");
        assertTrue(Files.size(RepoData.dir().resolve("corpus").resolve("pretrain.txt.gz")) < 6_000_000);
    }

    @Test
    void committedDataStaysSmall() throws IOException {
        long total;
        try (Stream<Path> files = Files.walk(RepoData.dir())) {
            total = files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).sum();
        }
        assertTrue(total < 10_000_000, "data/ holds " + total + " bytes");
    }

    /** provenance.json records the archives build-corpus.sh pins, with the same SHA-256. */
    @Test
    void provenanceMatchesTheBuildScript() throws IOException {
        String script = Files.readString(RepoData.dir().resolve("build-corpus.sh"), StandardCharsets.UTF_8);
        Set<String> pinned = new HashSet<>();
        Matcher m = Pattern.compile("_SHA=([0-9a-f]{64})").matcher(script);
        while (m.find()) {
            pinned.add(m.group(1));
        }
        assertEquals(4, pinned.size());
        JsonObject p = JsonParser.parseString(Files.readString(RepoData.dir().resolve("provenance.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        Set<String> recorded = new HashSet<>();
        for (JsonElement s : p.getAsJsonArray("sources")) {
            JsonObject o = s.getAsJsonObject();
            recorded.add(o.get("sha256").getAsString());
            assertFalse(o.get("licence").getAsString().isBlank());
            assertFalse(o.get("version").getAsString().isBlank());
        }
        assertEquals(pinned, recorded);
        String md = Files.readString(RepoData.dir().resolve("PROVENANCE.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("redistribution permitted"), "the Brown corpus's redistribution statement");
        for (String sha : pinned) {
            assertTrue(md.contains(sha));
        }
    }

    /** The examples parse with the plain reader too (the format any tool would use). */
    @ParameterizedTest
    @MethodSource("tasks")
    void everyLineIsAFlatJsonObject(String name) {
        for (String split : List.of("train", "dev", "test")) {
            List<Example> examples = ExampleReader.read(RepoData.task(name).resolve(split + ".jsonl"));
            for (Example e : examples) {
                assertTrue(e.has("id") && e.has("label"), e.location());
            }
        }
    }
}
