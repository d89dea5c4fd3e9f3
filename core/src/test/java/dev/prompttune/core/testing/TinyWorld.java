package dev.prompttune.core.testing;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A complete, tiny experiment on disk (shared with the dsl and kernel tests through core's test jar): a random T5 (vocab 300 = the fixture sentencepiece model's 200 pieces +
 * 100 sentinels, d_model 32) with that tokenizer, and a JSONL task whose label is a marker word in the text.
 */
public final class TinyWorld {

    // Words the fixture tokenizer (200 pieces, mostly characters) keeps as single pieces.
    public static final List<String> FILLER = List.of("the", "to", "very", "off", "most", "this", "time", "when", "also", "any");

    private TinyWorld() {}

    /** The tiny model's shape: T5 1.1 (gated-GELU, untied head), d_model 32, 2+2 layers, 4 heads, vocabulary 300. */
    public static T5Config config() {
        String json = "{\"model_type\":\"t5\",\"vocab_size\":300,\"d_model\":32,\"d_kv\":8,\"d_ff\":64,\"num_layers\":2,"
                + "\"num_heads\":4,\"feed_forward_proj\":\"gated-gelu\",\"tie_word_embeddings\":false,\"dropout_rate\":0.0,"
                + "\"relative_attention_num_buckets\":8,\"relative_attention_max_distance\":20}";
        return T5Config.parse(json, "tiny");
    }

    public static Path model(Path dir) throws IOException {
        return model(dir, 1);
    }

    /** The tiny model with weights drawn from {@code seed}: another seed, another model of the same shape. */
    public static Path model(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        try (NDManager m = NDManager.newBaseManager(); T5Model model = T5Model.random(config(), m, seed)) {
            T5CheckpointWriter.save(model, dir, "F32");
        }
        Files.copy(Fixtures.dir("tokenizer").resolve("spiece.model"), dir.resolve("spiece.model"));
        return dir;
    }

    /** Lines of {"text": …, "label": "a"|"b"}: marker "city" means a, "weather" means b. */
    public static Path split(Path file, int n, long seed) throws IOException {
        write(file, n, seed, Set.of());
        return file;
    }

    /**
     * {@code train.jsonl}, {@code dev.jsonl} and {@code test.jsonl} of the marker task in {@code dir} (made if
     * missing), from seeds 1, 2 and 3; dev and test share no input with train, as held-out splits should.
     *
     * @return {@code dir}
     */
    public static Path splits(Path dir, int train, int dev, int test) throws IOException {
        Files.createDirectories(dir);
        Set<String> trainTexts = write(dir.resolve("train.jsonl"), train, 1, Set.of());
        write(dir.resolve("dev.jsonl"), dev, 2, trainTexts);
        write(dir.resolve("test.jsonl"), test, 3, trainTexts);
        return dir;
    }

    /**
     * As {@link #split}, leaving out texts in {@code heldOutFrom} (a held-out split shares no input with train);
     * returns the texts written.
     */
    private static Set<String> write(Path file, int n, long seed, Set<String> heldOutFrom) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < n; ) {
            boolean a = r.nextBoolean();
            int length = 3 + r.nextInt(4);
            int marker = r.nextInt(length);
            StringBuilder text = new StringBuilder();
            for (int t = 0; t < length; t++) {
                text.append(t == marker ? (a ? "city" : "weather") : FILLER.get(r.nextInt(FILLER.size()))).append(' ');
            }
            String line = text.toString().trim();
            if (heldOutFrom.contains(line)) {
                continue;
            }
            written.add(line);
            b.append("{\"text\": \"").append(line).append("\", \"label\": \"").append(a ? "a" : "b").append("\"}\n");
            i++;
        }
        Files.writeString(file, b.toString());
        return written;
    }

    /**
     * A home (models/ and data/tasks/) holding the tiny model as {@code models/tiny} and the marker task as
     * {@code data/tasks/markers}: scripts can then say {@code model 'tiny'; data 'markers'}.
     */
    public static Path home(Path dir) throws IOException {
        model(dir.resolve("models").resolve("tiny"));
        Path task = splits(dir.resolve("data").resolve("tasks").resolve("markers"), 200, 40, 60);
        Files.writeString(task.resolve("task.json"), """
                {"name": "markers", "template": "classify: {text}", "label_field": "label",
                 "verbalizer": {"a": "good", "b": "never"}}
                """);
        return dir;
    }
}
