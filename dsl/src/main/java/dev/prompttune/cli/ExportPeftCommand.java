package dev.prompttune.cli;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.dsl.PeftFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune export-peft SOURCE --out DIR}: a run's (or a prompt file's) prompt as a PEFT adapter. */
@Command(name = "export-peft", mixinStandardHelpOptions = true,
        description = {
            "Writes a prompt as a Hugging Face PEFT prompt-tuning adapter.",
            "The prompt of a run record (runs/NAME-TIMESTAMP) or of a prompt file (NAME.safetensors) becomes a PEFT "
                + "adapter directory: PeftModel.from_pretrained(base, DIR) loads it.",
            "The prompt must fit the model: its width, finite values, and the embedding fingerprint it records "
                + "(--any-model skips only the fingerprint). Exit 0; 2 on bad input."})
final class ExportPeftCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", description = "a run record directory or a prompt file")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the adapter directory to write")
    Path out;

    @Option(names = "--model", paramLabel = "NAME",
            description = "the model of a prompt file (default: its base model); a run record names its own model, which "
                    + "--model may only repeat")
    String model;

    @Option(names = "--base-model", paramLabel = "ID",
            description = "base_model_name_or_path to record, e.g. google/t5-v1_1-small (default: the model setting)")
    String baseModel;

    @Option(names = "--any-model", description = "export even if the prompt records another model's embedding fingerprint")
    boolean anyModel;

    @Override
    public Integer call() {
        Path dir = Files.isDirectory(source) && (Files.isRegularFile(source.resolve("summary.json"))
                || Files.isRegularFile(source.resolve("spec.json"))) // an unfinished record: load says so
                ? PeftFiles.export(record(), out, baseModel, anyModel)
                : PeftFiles.exportPrompt(source, model, out, baseModel, anyModel);
        System.out.println("exported " + source + " -> " + dir);
        return 0;
    }

    /**
     * The run record SOURCE. Its prompt was trained on the model its spec names, and the export uses that model;
     * {@code --model} naming another was silently ignored, so the adapter was not for the model the user asked for.
     */
    private PromptTuneRun record() {
        PromptTuneRun run = RunRecord.load(source);
        String own = run.spec().model();
        if (model != null && !model.equals(own)) {
            throw new PromptTuneException("export-peft: --model " + model + " does not apply to run record " + source
                    + ": a record names its own model (" + own + "); allowed: --model " + own + " or no --model (--model"
                    + " chooses the model of a prompt file)");
        }
        return run;
    }
}
