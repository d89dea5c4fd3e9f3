package dev.prompttune.cli;

import dev.prompttune.core.peft.PeftVerifier;
import dev.prompttune.core.verify.VerificationReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune verify-peft DIR [--base DIR]}: a PEFT prompt-tuning adapter against PEFT's own outputs. */
@Command(name = "verify-peft", mixinStandardHelpOptions = true,
        description = {
            "Checks a PEFT prompt-tuning adapter against reference outputs.",
            "Imports the adapter in DIR (adapter_config.json + adapter_model.safetensors), puts it before the base "
                + "model's encoder input as PEFT does, and compares with DIR/expected.safetensors: loss, logits, greedy "
                + "generations, the stored prompt, and (when recorded) a replay of the Adafactor training (per-step loss "
                + "and prompt).",
            "Prints one JSON line; exit 0 when all are within 1e-4 (logits 1e-4 abs + 1e-4 rel), 1 when any is not, "
                + "2 on bad input."})
final class VerifyPeftCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a PEFT adapter directory with expected.safetensors")
    Path dir;

    @Option(names = "--base", paramLabel = "DIR",
            description = "the base model directory (default: DIR/.. if it has config.json, else base_model_name_or_path "
                    + "next to DIR)")
    Path base;

    @Override
    public Integer call() {
        VerificationReport report = PeftVerifier.verify(dir, base);
        System.out.println(report.toJson());
        return report.passed() ? 0 : 1;
    }
}
