package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved prompt: a safetensors file with a {@code prompt_embeddings} tensor [p, H] (prompttune's prompt files
 * and PEFT adapters use this name). Its length and width must match the prompt being made.
 */
public record FileInit(Path path) implements PromptInit {

    public static final String TENSOR = "prompt_embeddings";

    @Override
    public float[] values(InitContext ctx) {
        Path file = Files.isDirectory(path) ? path.resolve("adapter_model.safetensors") : path;
        if (!Files.isRegularFile(file)) {
            throw new PromptTuneException("init file: " + file + " does not exist");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorInfo info = f.tensors().get(TENSOR);
            if (info == null) {
                throw new PromptTuneException("init file: " + file + " has no '" + TENSOR + "' tensor; it has "
                        + f.tensors().keySet());
            }
            long[] shape = info.shape();
            if (shape.length != 2 || shape[1] != ctx.width()) {
                throw new PromptTuneException("init file: " + file + " holds a prompt of shape " + Arrays.toString(shape)
                        + " but the model's width is " + ctx.width());
            }
            if (shape[0] < 1) {
                // Advice must name an allowed value: no length makes an empty prompt usable.
                throw new PromptTuneException("init file: " + file + " holds an empty prompt (shape "
                        + Arrays.toString(shape) + "); allowed: a prompt file with at least 1 prompt vector");
            }
            if (shape[0] < ctx.length()) {
                throw new PromptTuneException("init file: " + file + " holds " + shape[0] + " prompt vectors; the prompt "
                        + "needs " + ctx.length() + " (set length " + (shape[0] == 1 ? "1" : "at most " + shape[0]) + ")");
            }
            float[] all = f.readFloats(TENSOR);
            // PEFT seq2seq adapters may hold 2p rows of which only the first p are used.
            return Arrays.copyOf(all, ctx.length() * ctx.width());
        }
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("path", path.toString());
        return d;
    }
}
