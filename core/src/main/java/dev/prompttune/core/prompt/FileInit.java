package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.peft.PeftAdapter;
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

    /**
     * Reads the file and checks it against {@code target}, the model being tuned. An adapter is read as
     * {@code import-peft} reads it ({@link PeftAdapter#check}): its prompt is its first num_virtual_tokens rows.
     */
    public PromptFile.Loaded load(PromptCheck.Target target) {
        if (Files.isDirectory(path)) {
            return PeftAdapter.importFrom(path).check(target, anyModel);
        }
        String problem = PathProblems.notRegularFile(path);
        if (problem != null) {
            throw new PromptTuneException("init file: " + path + " " + problem);
        }
        return PromptCheck.check(PromptFile.load(path), target, anyModel);
    }

    /**
     * {@link #load(PromptCheck.Target)}, and it must hold at least {@code length} vectors (the first {@code length} are
     * used). An adapter holds num_virtual_tokens of them: the rows a seq2seq adapter stores for its other submodule
     * are never trained, and became prompt vectors p+1 to 2p of a longer prompt.
     */
    public PromptFile.Loaded load(PromptCheck.Target target, int length) {
        PromptFile.Loaded loaded = load(target);
        if (loaded.length() < length) {
            String holds = Files.isDirectory(path)
                    ? path + ": the adapter holds " + loaded.length() + " virtual tokens (num_virtual_tokens)"
                    : loaded.file() + ": holds " + loaded.length() + " prompt vectors";
            throw new PromptTuneException("init file " + holds + " but the prompt needs " + length + "; allowed: length 1 to "
                    + loaded.length());
        }
        return loaded;
    }

    @Override
    public float[] values(InitContext ctx) {
        String model = ctx.model();
        PromptFile.Loaded loaded = load(PromptCheck.Target.ofTable(model, ctx.width(), ctx.embeddingTable()), ctx.length());
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
