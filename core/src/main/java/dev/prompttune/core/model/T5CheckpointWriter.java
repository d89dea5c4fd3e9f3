package dev.prompttune.core.model;

import com.google.gson.GsonBuilder;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves a model in Hugging Face layout: {@code config.json} and {@code model.safetensors} with Hugging Face tensor
 * names ({@code lm_head.weight} only when the head is untied), float32 or bf16. Both files are written atomically.
 */
public final class T5CheckpointWriter {

    private T5CheckpointWriter() {}

    /** @param dtype "F32" or "BF16" */
    public static void save(T5Model model, Path dir, String dtype) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (T5Weights.Declared d : model.weights().all().values()) {
                writer.addFloats(d.name(), d.shape().getShape(), dtype,
                        () -> Casts.floats(d.parameter().getArray()));
            }
            writer.write(dir.resolve("model.safetensors"));
            AtomicFiles.write(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create()
                    .toJson(model.config().toJson()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptTuneException("cannot save the model to " + dir + ": " + PathProblems.describe(dir, e), e);
        }
    }
}
