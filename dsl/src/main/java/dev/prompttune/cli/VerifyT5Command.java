package dev.prompttune.cli;

import dev.prompttune.core.verify.T5Verifier;
import dev.prompttune.core.verify.VerificationReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code prompttune verify-t5 DIR}: a checkpoint against reference outputs in DIR/expected.safetensors. */
@Command(name = "verify-t5", mixinStandardHelpOptions = true,
        description = {
            "Checks a T5 checkpoint against reference outputs.",
            "Loads the T5 checkpoint in DIR, runs every case stored in DIR/expected.safetensors (hidden states, logits, "
                + "loss, prompted variants, d loss / d prompt, greedy generations, bucket tables) and prints one JSON "
                + "line with the max absolute error per tensor and which exact checks held.",
            "Exit 0 when all are within tolerance (1e-4; logits 1e-4 abs + 1e-4 rel), 1 when any is not."})
final class VerifyT5Command implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a Hugging Face checkpoint directory with expected.safetensors")
    Path dir;

    @Override
    public Integer call() {
        VerificationReport report = T5Verifier.verify(dir);
        System.out.println(report.toJson());
        return report.passed() ? 0 : 1;
    }
}
