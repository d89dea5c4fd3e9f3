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
            "Its values must be finite (the first num_virtual_tokens rows, the prompt the encoder sees); with --model, its "
                + "width is checked against that model too, and so is the embedding fingerprint of an adapter export-peft "
                + "wrote (--any-model skips only the fingerprint). Exit 0; 2 on bad input."})
final class ImportPeftCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ADAPTER_DIR", description = "a PEFT adapter directory")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "PROMPT", description = "the prompt file to write (DIR/NAME; .safetensors added)")
    Path out;

    @Option(names = "--model", paramLabel = "NAME",
            description = "the model the prompt is for: width and fingerprint checked, its fingerprint recorded (name or directory)")
    String model;

    @Option(names = "--any-model", description = "import even if the adapter records another model's embedding fingerprint")
    boolean anyModel;

    @Override
    public Integer call() {
        Path file = PeftFiles.importAsPrompt(adapter, out, model, anyModel);
        System.out.println("imported " + adapter + " -> " + file);
        return 0;
    }
}
