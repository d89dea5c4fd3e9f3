package dev.prompttune.dsl;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;

/** Homes (models/ + data/tasks/) for tests outside this package. */
public final class TestHomes {

    private static Path standIn;

    private TestHomes() {}

    /** models/tiny and data/tasks/markers. */
    public static Path tiny() throws Exception {
        return HomeExtension.home();
    }

    /** The repository root (tests run in dsl/). */
    public static Path repo() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * The repository's data (its tasks) with {@code models/t5-mini} replaced by a tiny random stand-in (d_model 32,
     * 2+2 layers) that uses the repository's 8k tokenizer: the examples run as written, in seconds.
     */
    public static synchronized Path t5MiniStandIn() throws Exception {
        if (standIn == null) {
            Path dir = Files.createTempDirectory("prompttune-standin");
            Files.createSymbolicLink(dir.resolve("data"), repo().resolve("data"));
            Path model = Files.createDirectories(dir.resolve("models").resolve("t5-mini"));
            for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
                Files.copy(repo().resolve("data/tokenizer").resolve(f), model.resolve(f));
            }
            int vocab;
            try (T5Tokenizer t = T5Tokenizers.load(model)) {
                vocab = t.vocabSize();
            }
            String json = "{\"model_type\":\"t5\",\"vocab_size\":" + vocab + ",\"d_model\":32,\"d_kv\":8,\"d_ff\":64,\"num_layers\":2,"
                    + "\"num_heads\":4,\"feed_forward_proj\":\"gated-gelu\",\"tie_word_embeddings\":false,\"dropout_rate\":0.1}";
            try (NDManager m = NDManager.newBaseManager(); T5Model t5 = T5Model.random(T5Config.parse(json, "t5-mini stand-in"), m, 1)) {
                T5CheckpointWriter.save(t5, model, "F32");
            }
            // The shipped examples and notebooks use these names; one tiny stand-in serves for all.
            Files.createSymbolicLink(dir.resolve("models").resolve("t5-mini-span"), model);
            Files.createSymbolicLink(dir.resolve("models").resolve("t5-mini-topics"), model);
            Files.createSymbolicLink(dir.resolve("models").resolve("t5-mini-ppmi"), model);
            standIn = dir;
        }
        return standIn;
    }
}
