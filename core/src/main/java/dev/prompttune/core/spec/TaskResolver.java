package dev.prompttune.core.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.Suggestions;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
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

    /** {@link #registered()} as messages list it (see {@link Home#listed}). */
    public static String registeredText() {
        return Home.listed(registered(), Home.tasks(), "tasks");
    }

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
            String files = "data train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl'";
            PathProblems.requireReadableFolder(dir, "data folder");
            if (Files.isDirectory(dir)) {
                throw new PromptTuneException("data folder " + dir + " has no task.json; allowed: a registered task "
                        + registeredText() + ", a folder with task.json and train/dev/test.jsonl, or files (" + files + ")");
            }
            throw new PromptTuneException("data '" + name + "' is not a registered task"
                    + Suggestions.didYouMean(name, registered()) + "; registered: " + registeredText()
                    + " (or give train/dev/test files: " + files + ")");
        }
        JsonObject o = JsonFiles.readObject(json);
        Map<String, String> labels = verbalizer(json, o.has("verbalizer") ? "verbalizer" : "labels", o);
        String field = o.has("label_field") ? string(json, "label_field", o, "the name of the label's field")
                : o.has("labelField") ? string(json, "labelField", o, "the name of the label's field") : "label";
        String metric = o.has("metric") ? string(json, "metric", o, String.join(", ", PromptTuneSpec.METRICS))
                : "accuracy";
        if (!PromptTuneSpec.METRICS.contains(metric)) {
            throw new PromptTuneException(json + ": field \"metric\" is '" + metric + "'; allowed: "
                    + String.join(", ", PromptTuneSpec.METRICS));
        }
        JsonObject files = files(json, o);
        return new Task(name, file(json, dir, files, "train"), file(json, dir, files, "dev"), file(json, dir, files, "test"),
                o.has("template") ? string(json, "template", o, "a template such as \"review: {text}\"") : null,
                labels, field, metric, o);
    }

    /**
     * The task's label → target text map (empty when the task.json gives none: then the data's labels are their own
     * targets). Refused: anything but an object of non-empty strings, and an empty object.
     */
    private static Map<String, String> verbalizer(Path json, String key, JsonObject o) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonElement verbalizer = o.get(key);
        if (verbalizer == null) {
            return labels;
        }
        String allowed = "an object mapping each label to its target text, e.g. {\"pos\": \"great\", \"neg\": "
                + "\"terrible\"}";
        if (!verbalizer.isJsonObject() || verbalizer.getAsJsonObject().size() == 0) {
            throw new PromptTuneException(json + ": field \"" + key + "\" is " + verbalizer + "; allowed: " + allowed);
        }
        for (Map.Entry<String, JsonElement> e : verbalizer.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString() || v.getAsString().isBlank()) {
                throw new PromptTuneException(json + ": field \"" + key + "\" gives label '" + e.getKey() + "' the target "
                        + v + "; allowed: a non-empty string (" + allowed + ")");
            }
            labels.put(e.getKey(), v.getAsString());
        }
        return labels;
    }

    /** Field {@code key} of {@code o}, which must be a string. */
    private static String string(Path json, String key, JsonObject o, String allowed) {
        JsonElement v = o.get(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new PromptTuneException(json + ": field \"" + key + "\" is " + v + "; allowed: a string (" + allowed
                    + ")");
        }
        return v.getAsString();
    }

    /** task.json's {@code "files"} (split → file name, beside task.json), or null when it gives none. */
    private static JsonObject files(Path json, JsonObject o) {
        JsonElement files = o.get("files");
        if (files == null || files.isJsonNull()) {
            return null;
        }
        if (!files.isJsonObject()) {
            throw new PromptTuneException(json + ": field \"files\" is " + files + "; allowed: an object naming each "
                    + "split's file, e.g. {\"train\": \"train.jsonl\", \"dev\": \"dev.jsonl\", \"test\": \"test.jsonl\"}");
        }
        for (String split : files.getAsJsonObject().keySet()) {
            if (!List.of("train", "dev", "test").contains(split)) {
                throw new PromptTuneException(json + ": field \"files\" names split '" + split + "'; allowed: train, dev, test");
            }
            JsonElement v = files.getAsJsonObject().get(split);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString() || v.getAsString().isBlank()) {
                throw new PromptTuneException(json + ": field \"files\" gives split '" + split + "' the file " + v
                        + "; allowed: a file name beside task.json, e.g. \"" + split + ".jsonl\"");
            }
        }
        return files.getAsJsonObject();
    }

    /**
     * The split's file: the one {@code "files"} names (it must be there), else {@code SPLIT.jsonl} beside task.json, or
     * null when that does not exist (a task may have no dev or test split). Something there that is not a readable
     * file (a folder, a broken link, a link loop) is refused: it was taken for a missing split, so a test split became
     * no test column and a dev split a carve of train, without a word.
     */
    private static Path file(Path json, Path dir, JsonObject files, String split) {
        boolean named = files != null && files.has(split);
        if (files != null && !named) {
            return null;
        }
        Path p = dir.resolve(named ? files.get(split).getAsString() : split + ".jsonl");
        String problem = PathProblems.notRegularFile(p);
        if (problem == null) {
            return p;
        }
        if (!named && problem.equals("does not exist")) {
            return null;
        }
        throw new PromptTuneException(json + ": the " + split + " split's file " + p + " " + problem + "; allowed: a JSON "
                + "Lines file" + (named ? " (as \"files\" names it)" : "") + ", or no " + split + ".jsonl for a task without "
                + "a " + split + " split");
    }
}
