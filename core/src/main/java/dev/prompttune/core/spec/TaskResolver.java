package dev.prompttune.core.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Registered tasks: {@code data/tasks/NAME/} with {@code train/dev/test.jsonl} and a {@code task.json} that gives
 * the template, the verbalizer ({@code labels}: label value → target text) and the label field.
 */
public final class TaskResolver {

    /** A registered task's files and settings. */
    public record Task(String name, Path train, Path dev, Path test, String template, Map<String, String> labels,
                       String labelField, String metric, JsonObject info) {}

    private TaskResolver() {}

    public static List<String> registered() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(Home.tasks())) {
            try (Stream<Path> s = Files.list(Home.tasks())) {
                s.filter(d -> Files.isRegularFile(d.resolve("task.json"))).map(d -> d.getFileName().toString()).sorted()
                        .forEach(names::add);
            } catch (IOException e) {
                // none
            }
        }
        return names;
    }

    public static Task resolve(String name) {
        Path dir = Home.tasks().resolve(name);
        Path json = dir.resolve("task.json");
        if (!Files.isRegularFile(json)) {
            throw new PromptTuneException("data '" + name + "' is not a registered task; registered: " + registered()
                    + " (or give train/dev/test files)");
        }
        JsonObject o = dev.prompttune.core.io.JsonFiles.readObject(json);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonElement verbalizer = o.has("verbalizer") ? o.get("verbalizer") : o.get("labels");
        if (verbalizer != null && verbalizer.isJsonObject()) {
            verbalizer.getAsJsonObject().entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
        }
        String field = o.has("label_field") ? o.get("label_field").getAsString()
                : o.has("labelField") ? o.get("labelField").getAsString() : "label";
        String metric = o.has("metric") ? o.get("metric").getAsString() : "accuracy";
        return new Task(name, file(dir, "train"), file(dir, "dev"), file(dir, "test"),
                o.has("template") ? o.get("template").getAsString() : null, labels, field, metric, o);
    }

    private static Path file(Path dir, String split) {
        Path p = dir.resolve(split + ".jsonl");
        return Files.isRegularFile(p) ? p : null;
    }
}
