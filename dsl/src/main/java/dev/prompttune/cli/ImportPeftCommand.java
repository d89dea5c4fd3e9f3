package dev.prompttune.cli;

import dev.prompttune.dsl.PeftFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune import-peft ADAPTER_DIR --out PROMPT}: a PEFT adapter as a prompttune prompt file. */
@Command(name = "import-peft", mixinStandardHelpOptions = true,
        description = {
            "Imports a Hugging Face PEFT prompt-tuning adapter as a prompt file.",
            "The adapter (adapter_config.json + adapter_model.safetensors) becomes a prompttune prompt file "
                + "(OUT.safetensors + OUT.json), usable as init file('OUT.safetensors') or for predict.",
            "Its values must be finite; with --model, its width is checked against that model too. Exit 0; 2 on bad input."})
final class ImportPeftCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ADAPTER_DIR", description = "a PEFT adapter directory")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "PROMPT", description = "the prompt file to write (DIR/NAME; .safetensors added)")
    Path out;

    @Option(names = "--model", paramLabel = "NAME", description = "check the width against this model (name or directory)")
    String model;

    @Override
    public Integer call() {
        Path file = PeftFiles.importAsPrompt(adapter, out, model);
        System.out.println("imported " + adapter + " -> " + file);
        return 0;
    }
}
