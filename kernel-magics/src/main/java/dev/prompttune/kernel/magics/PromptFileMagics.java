package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.kernel.Bindings;
import dev.prompttune.kernel.Notebook;
import java.nio.file.Path;
import java.util.List;

/**
 * Prompts to and from files: {@code %savePrompt name path} (prompttune's format: PATH.safetensors + PATH.json),
 * {@code %loadPrompt path [as name] [--any-model]} (a saved prompt or a run record, checked against its model: width,
 * finite values, embedding fingerprint unless --any-model), {@code %exportPeft name dir} (a Hugging Face PEFT
 * prompt-tuning adapter).
 */
final class PromptFileMagics {

    static final MagicSignature SAVE = MagicSignature.line("savePrompt").required("name").required("path");
    static final MagicSignature LOAD = MagicSignature.line("loadPrompt").required("path").as("name")
            .option("any-model", null, "load it even if it records another model's embedding fingerprint");
    static final MagicSignature EXPORT = MagicSignature.line("exportPeft").required("name").required("dir");

    private PromptFileMagics() {
    }

    static Object save(List<String> args) {
        MagicSignature.Args a = SAVE.parse(args);
        PromptTuneRun run = NotebookRuns.get().find(SAVE, a.get("name"));
        Path file = NotebookRuns.get().experiments().savePrompt(run, a.get("path"));
        NotebookRuns.get().saved(file);
        return "saved prompt " + run.name() + " (" + run.length() + " × " + run.width() + ") to " + file
                + " and " + file.resolveSibling(file.getFileName().toString().replaceFirst("\\.safetensors$", ".json"));
    }

    static Object load(List<String> args) {
        MagicSignature.Args a = LOAD.parse(args);
        PromptTuneRun run = NotebookRuns.get().experiments().loadPrompt(a.get("path"), a.flag("any-model"));
        String name = a.get("name") == null ? run.name() : a.get("name");
        if (a.get("name") != null && !Bindings.isIdentifier(name)) {
            throw LOAD.error("NAME '" + name + "' must be a Java variable name (letters, digits, _)");
        }
        NotebookRuns.get().put(name, run);
        if (Bindings.isIdentifier(name)) {
            Notebook.bind(name, run);
        }
        return ResultViews.run(run);
    }

    static Object exportPeft(List<String> args) {
        MagicSignature.Args a = EXPORT.parse(args);
        PromptTuneRun run = NotebookRuns.get().find(EXPORT, a.get("name"));
        Path dir = NotebookRuns.get().experiments().exportPeft(run, a.get("dir"));
        return "exported " + run.name() + " as a PEFT prompt-tuning adapter: " + dir
                + " (adapter_config.json, adapter_model.safetensors)";
    }
}
