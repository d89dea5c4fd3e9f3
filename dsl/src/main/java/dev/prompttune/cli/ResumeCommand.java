package dev.prompttune.cli;

import dev.prompttune.dsl.Experiments;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code prompttune resume RECORD_DIR}: continues a stopped run from its record's checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {
            "Resumes an interrupted run from its checkpoint.",
            "A run interrupted by Ctrl-C, failed on a cluster, or killed keeps checkpoint.safetensors in its record "
                + "(runs/NAME-TIMESTAMP; written at each evaluation and when it stops). The run trains on from it with "
                + "the record's spec.json, into the same record, and ends as the uninterrupted run would have: the same "
                + "prompt, losses and dev scores (same PyTorch thread count). Then the result table, as after run.",
            "Refused, with one line naming the file: a record without a checkpoint (a finished run removes it), a "
                + "damaged checkpoint, one of another model, spec or data. Exit status as for run."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RECORD_DIR", description = "the record of the run to resume")
    Path record;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() {
        Experiments experiments = options.experiments();
        return RunCommand.interruptiblyOneRun(experiments, () -> experiments.resume(record.toString()));
    }
}
