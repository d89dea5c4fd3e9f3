package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved prompt: a prompt file ({@code NAME.safetensors}, tensor {@code prompt_embeddings} [p, H]) or a PEFT
 * adapter directory. It passes {@link PromptCheck} against the model being tuned (width, finite values, and the
 * embedding fingerprint it records unless {@code anyModel}); it must hold at least the prompt's length in rows.
 */
public record FileInit(Path path, boolean anyModel) implements PromptInit {

    public static final String TENSOR = PromptFile.TENSOR;

    /** A file whose fingerprint must be the model's. */
    public FileInit(Path path) {
        this(path, false);
    }

    /** The prompt file itself: {@code path}, or the weights inside a PEFT adapter directory. */
    public Path file() {
        return Files.isDirectory(path) ? path.resolve("adapter_model.safetensors") : path;
    }

    /** Reads the file and checks it against {@code target}, the model being tuned. */
    public PromptFile.Loaded load(PromptCheck.Target target) {
        if (Files.isDirectory(path)) {
            // A PEFT adapter passes the checks import-peft makes (its config: peft_type, task_type, the tensor's
            // shape against num_virtual_tokens and token_dim; a pickle-only adapter named as such) before its weights
            // are read as a prompt file below.
            PeftAdapter.importFrom(path);
        }
        Path file = file();
        String problem = PathProblems.notRegularFile(file);
        if (problem != null) {
            throw new PromptTuneException("init file: " + file + " " + problem);
        }
        return PromptCheck.check(PromptFile.load(file), target, anyModel);
    }

    /** {@code loaded} if it holds at least {@code length} vectors (the first {@code length} are used); else an error. */
    public static PromptFile.Loaded requireLength(PromptFile.Loaded loaded, int length) {
        if (loaded.length() < length) {
            throw new PromptTuneException("init file " + loaded.file() + ": holds " + loaded.length() + " prompt vectors but the "
                    + "prompt needs " + length + "; allowed: length 1 to " + loaded.length());
        }
        return loaded;
    }

    @Override
    public float[] values(InitContext ctx) {
        String model = ctx.model();
        PromptFile.Loaded loaded = requireLength(load(new PromptCheck.Target(model, ctx.width(),
                () -> EmbeddingFingerprint.of(ctx.embeddingTable()))), ctx.length());
        // PEFT seq2seq adapters may hold 2p rows of which only the first p are used.
        return Arrays.copyOf(loaded.values(), ctx.length() * ctx.width());
    }

    @Override
    public String kind() {
        return "file";
    }

    /** As a script writes it: {@code file('runs/x/prompt.safetensors')} (a sweep's value for this init). */
    @Override
    public String toString() {
        return "file('" + path + "')";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("path", path.toString());
        if (anyModel) {
            d.put("anyModel", true);
        }
        return d;
    }
}
