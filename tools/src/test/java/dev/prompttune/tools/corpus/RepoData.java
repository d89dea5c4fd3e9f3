package dev.prompttune.tools.corpus;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The repository's committed {@code data/} folder, for tests (found upwards from the working directory). */
public final class RepoData {

    public static final List<String> TASKS = List.of("spam", "brown-genre", "fortune-topic");

    private RepoData() {}

    /** {@code data/} of the repository: {@code -Dprompttune.data=DIR}, else the first ancestor holding it. */
    public static Path dir() {
        String configured = System.getProperty("prompttune.data");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path data = p.resolve("data");
            if (Files.isDirectory(data.resolve("tasks")) && Files.isRegularFile(data.resolve("build-corpus.sh"))) {
                return data;
            }
        }
        throw new AssertionError("data/ (with tasks/ and build-corpus.sh) not found above "
                + Path.of("").toAbsolutePath() + "; set -Dprompttune.data=DIR");
    }

    public static Path task(String name) {
        return dir().resolve("tasks").resolve(name);
    }

    public static Path tokenizer() {
        return dir().resolve("tokenizer");
    }

    public static JsonObject taskJson(String name) {
        try {
            return JsonParser.parseString(Files.readString(task(name).resolve("task.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Task directories present under {@code data/tasks}, sorted. */
    public static List<String> taskNames() throws IOException {
        try (Stream<Path> s = Files.list(dir().resolve("tasks"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every line of {@code corpus/pretrain.txt.gz} (empty lines included). */
    public static List<String> pretrainLines() {
        return gzipLines("corpus/pretrain.txt.gz");
    }

    /** Every line of the gzipped text file {@code relative} to {@code data/} (empty lines included). */
    public static List<String> gzipLines(String relative) {
        Path file = dir().resolve(relative);
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e);
        }
        return lines;
    }
}
