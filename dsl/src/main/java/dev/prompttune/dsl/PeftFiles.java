package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.promptio.PromptFile;
import dev.prompttune.core.promptio.PromptMetadata;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.spec.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** PEFT adapters to and from prompttune's own files (shared by the DSL verbs and the CLI commands). */
public final class PeftFiles {

    private PeftFiles() {}

    /**
     * Writes a run's prompt as a PEFT prompt-tuning adapter directory.
     *
     * @param baseModel {@code base_model_name_or_path} to record (null: the run's model setting)
     */
    public static Path export(PromptTuneRun run, Path dir, String baseModel) {
        return export(run.prompt(), run.length(), run.width(), run.spec().model(), dir, baseModel);
    }

    /** Writes a saved prompt file ({@code NAME.safetensors}) as a PEFT adapter; {@code model} gives heads and layers. */
    public static Path exportPrompt(Path promptFile, String model, Path dir, String baseModel) {
        PromptFile.Loaded loaded = PromptFile.load(promptFile);
        String m = model != null ? model : loaded.metadata().baseModel();
        if (m == null) {
            throw new PromptTuneException("export-peft: " + promptFile + " does not record its base model; give --model");
        }
        return export(loaded.values(), loaded.length(), loaded.width(), m, dir, baseModel);
    }

    private static Path export(float[] values, int length, int width, String model, Path dir, String baseModel) {
        T5Config config = T5Config.load(ModelResolver.resolve(model));
        if (config.dModel != width) {
            throw new PromptTuneException("export-peft: the prompt has width " + width + " but model " + model + " has width "
                    + config.dModel);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PromptTuneException("export-peft: cannot create " + dir + ": " + e.getMessage(), e);
        }
        PeftAdapter.exportTo(dir, values, length, config, baseModel != null ? baseModel : model);
        return dir;
    }

    /**
     * Imports a PEFT prompt-tuning adapter as a prompttune prompt file ({@code out.safetensors} + {@code out.json});
     * with {@code model}, its width is checked against the model's first.
     *
     * @return the safetensors file
     */
    public static Path importAsPrompt(Path adapterDir, Path out, String model) {
        PeftAdapter adapter = PeftAdapter.importFrom(adapterDir);
        if (model != null) {
            T5Config config = T5Config.load(ModelResolver.resolve(model));
            if (config.dModel != adapter.width()) {
                throw new PromptTuneException("import-peft: " + adapterDir + " holds prompt vectors of width " + adapter.width()
                        + " but model " + model + " has width " + config.dModel);
            }
        }
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("kind", "peft");
        init.put("source", adapterDir.toString());
        PromptMetadata meta = PromptMetadata.builder().baseModel(model != null ? model : adapter.baseModel()).init(init).build();
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new PromptTuneException("import-peft: cannot create " + parent + ": " + e.getMessage(), e);
        }
        return PromptFile.save(out, adapter.values(), adapter.length(), adapter.width(), meta);
    }
}
