package dev.prompttune.tools.pretrain.mix;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The promptability mixture's hold-out rules, and their check:
 * <ol>
 *   <li>no dev or test text of any evaluation task is in it: a passage that shares a run of {@value #RUN} words
 *       (compared as {@link Passages#normalize normalised} words) with any dev or test input of any task under
 *       {@code data/tasks} is dropped, and {@link #violations} must find none in the passages used;</li>
 *   <li>no evaluation task's label set is in it: no answer word of the mixture is a verbalizer word of any task.</li>
 * </ol>
 * The corpus itself already leaves the dev/test material out (data/README.md); this check does not rely on it.
 */
public final class MixtureHoldOut {

    /** Run length of the text check, as the corpus's own dev/test filter. */
    public static final int RUN = 12;
    private static final Set<String> NOT_TEXT = Set.of("id", "label", "category", "doc");

    private final Set<Long> runs;
    private final Set<String> labelWords;

    private MixtureHoldOut(Set<Long> runs, Set<String> labelWords) {
        this.runs = runs;
        this.labelWords = labelWords;
    }

    /** Reads every task under {@code tasksDir}: dev and test inputs, and verbalizer words. */
    public static MixtureHoldOut of(Path tasksDir) {
        Set<Long> runs = new HashSet<>();
        Set<String> labels = new TreeSet<>();
        List<Path> tasks;
        try (Stream<Path> s = Files.list(tasksDir)) {
            tasks = s.filter(p -> Files.isRegularFile(p.resolve("task.json"))).sorted().toList();
        } catch (IOException e) {
            throw new PromptTuneException("cannot list the tasks in " + tasksDir + ": " + PathProblems.describe(tasksDir, e), e);
        }
        if (tasks.isEmpty()) {
            throw new PromptTuneException("no task (a folder with task.json) in " + tasksDir);
        }
        for (Path task : tasks) {
            try {
                JsonObject spec = JsonParser.parseString(Files.readString(task.resolve("task.json"))).getAsJsonObject();
                for (Map.Entry<String, JsonElement> e : spec.getAsJsonObject("verbalizer").entrySet()) {
                    for (String w : e.getValue().getAsString().split("\\s+")) {
                        labels.add(Passages.normalize(w));
                    }
                }
                for (String split : List.of("dev", "test")) {
                    for (String line : Files.readAllLines(task.resolve(split + ".jsonl"), StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            addRuns(text(JsonParser.parseString(line).getAsJsonObject()), runs);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new PromptTuneException("cannot read the task " + task + " for the hold-out check: "
                        + (e instanceof IOException io ? PathProblems.describe(task, io) : e.getMessage()), e);
            }
        }
        return new MixtureHoldOut(runs, labels);
    }

    /** The evaluation tasks' label words (normalised). */
    public Set<String> labelWords() {
        return labelWords;
    }

    /** The passages that share no {@value #RUN}-word run with any dev or test input. */
    public List<Passage> filter(List<Passage> passages) {
        List<Passage> kept = new ArrayList<>(passages.size());
        for (Passage p : passages) {
            if (!touches(p.words())) {
                kept.add(p);
            }
        }
        return kept;
    }

    /**
     * Everything in the mixture that breaks a rule: passages sharing a run with dev/test text, and answer words that
     * are evaluation label words. Empty when the rules hold.
     */
    public List<String> violations(List<Passage> passages, Set<String> answerWords) {
        List<String> out = new ArrayList<>();
        for (Passage p : passages) {
            if (touches(p.words())) {
                out.add("passage of document " + p.document() + " shares a " + RUN + "-word run with dev/test text: "
                        + p.text().substring(0, Math.min(80, p.text().length())));
            }
        }
        for (String w : new TreeSet<>(answerWords)) {
            if (labelWords.contains(Passages.normalize(w))) {
                out.add("answer word '" + w + "' is an evaluation task's label word");
            }
        }
        return out;
    }

    /** Throws when {@link #violations} finds anything; returns the number of passages checked. */
    public int require(List<Passage> passages, Set<String> answerWords) {
        List<String> v = violations(passages, answerWords);
        if (!v.isEmpty()) {
            throw new PromptTuneException("the promptability mixture breaks its hold-out rules (" + v.size() + "): "
                    + String.join("; ", v.subList(0, Math.min(5, v.size()))));
        }
        return passages.size();
    }

    private boolean touches(List<String> words) {
        List<String> normal = normalised(words);
        for (int i = 0; i + RUN <= normal.size(); i++) {
            if (runs.contains(hash(normal, i))) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonObject example) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, JsonElement> e : example.entrySet()) {
            if (!NOT_TEXT.contains(e.getKey()) && e.getValue().isJsonPrimitive()) {
                s.append(e.getValue().getAsString()).append(' ');
            }
        }
        return s.toString();
    }

    private static void addRuns(String text, Set<Long> runs) {
        List<String> normal = normalised(List.of(text.trim().split("\\s+")));
        for (int i = 0; i + RUN <= normal.size(); i++) {
            runs.add(hash(normal, i));
        }
    }

    private static List<String> normalised(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            String n = Passages.normalize(w);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /** A 64-bit hash of the run starting at {@code from}; a collision can only drop a passage, never keep one. */
    private static long hash(List<String> words, int from) {
        long h = 1125899906842597L;
        for (int i = from; i < from + RUN; i++) {
            String w = words.get(i);
            for (int c = 0; c < w.length(); c++) {
                h = 31 * h + w.charAt(c);
            }
            h = 1_000_003L * h + 7;
        }
        return h;
    }
}
