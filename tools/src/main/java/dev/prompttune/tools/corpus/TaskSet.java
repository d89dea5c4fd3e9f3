package dev.prompttune.tools.corpus;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One classification task being built: its metadata and its three splits of examples (flat string fields, written
 * as JSON Lines in the order given), and the {@code task.json} that describes them.
 */
final class TaskSet {

    static final List<String> SPLITS = List.of("train", "dev", "test");
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();
    static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    final String name;
    final String description;
    final String template;
    final String labelField;
    /** Label value to target word, in class order. */
    final Map<String, String> verbalizer;
    final Map<String, List<Map<String, String>>> splits = new LinkedHashMap<>();
    final JsonObject construction = new JsonObject();

    TaskSet(String name, String description, String template, String labelField, Map<String, String> verbalizer) {
        this.name = name;
        this.description = description;
        this.template = template;
        this.labelField = labelField;
        this.verbalizer = new LinkedHashMap<>(verbalizer);
        for (String s : SPLITS) {
            splits.put(s, new ArrayList<>());
        }
    }

    List<Map<String, String>> split(String name) {
        return splits.get(name);
    }

    /** Counts per class in class order. */
    Map<String, Integer> balance(String split) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        verbalizer.keySet().forEach(l -> counts.put(l, 0));
        for (Map<String, String> e : splits.get(split)) {
            counts.merge(e.get(labelField), 1, Integer::sum);
        }
        return counts;
    }

    /** The most frequent training label (the first in class order on ties). */
    String majorityClass() {
        Map<String, Integer> train = balance("train");
        String best = null;
        for (Map.Entry<String, Integer> e : train.entrySet()) {
            if (best == null || e.getValue() > train.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    double majorityAccuracy(String split) {
        List<Map<String, String>> examples = splits.get(split);
        String majority = majorityClass();
        long hits = examples.stream().filter(e -> majority.equals(e.get(labelField))).count();
        return examples.isEmpty() ? 0 : round4((double) hits / examples.size());
    }

    static double round4(double x) {
        return Math.round(x * 10000) / 10000.0;
    }

    JsonObject taskJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("description", description);
        o.addProperty("template", template);
        o.addProperty("label_field", labelField);
        JsonObject v = new JsonObject();
        verbalizer.forEach(v::addProperty);
        o.add("verbalizer", v);
        JsonArray classes = new JsonArray();
        verbalizer.keySet().forEach(classes::add);
        o.add("classes", classes);
        JsonObject files = new JsonObject();
        JsonObject sizes = new JsonObject();
        JsonObject balance = new JsonObject();
        JsonObject fractions = new JsonObject();
        for (String s : SPLITS) {
            files.addProperty(s, s + ".jsonl");
            sizes.addProperty(s, splits.get(s).size());
            JsonObject b = new JsonObject();
            JsonObject f = new JsonObject();
            int n = splits.get(s).size();
            balance(s).forEach((label, count) -> {
                b.addProperty(label, count);
                f.addProperty(label, n == 0 ? 0 : round4((double) count / n));
            });
            balance.add(s, b);
            fractions.add(s, f);
        }
        o.add("files", files);
        o.add("sizes", sizes);
        o.add("class_balance", balance);
        o.add("class_fractions", fractions);
        o.addProperty("majority_class", majorityClass());
        JsonObject majority = new JsonObject();
        majority.addProperty("dev", majorityAccuracy("dev"));
        majority.addProperty("test", majorityAccuracy("test"));
        o.add("majority_class_accuracy", majority);
        o.add("construction", construction);
        return o;
    }

    void write(Path tasksDir) throws IOException {
        Path dir = tasksDir.resolve(name);
        Files.createDirectories(dir);
        for (String s : SPLITS) {
            StringBuilder b = new StringBuilder();
            for (Map<String, String> e : splits.get(s)) {
                b.append(LINE.toJson(e)).append('\n');
            }
            Files.writeString(dir.resolve(s + ".jsonl"), b.toString(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("task.json"), PRETTY.toJson(taskJson()) + "\n", StandardCharsets.UTF_8);
    }
}
