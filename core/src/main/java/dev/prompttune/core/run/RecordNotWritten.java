package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Path;

/**
 * A run stopped because its record could not be written (a full disk, a folder made read-only, a quota): its metrics
 * line, a checkpoint, or its closing files. The message says so and what was kept: the last checkpoint the record
 * holds, and the command that continues from it once there is room again. Nothing the run had is put in doubt: every
 * record file is written atomically, so an earlier checkpoint stays whole.
 */
public final class RecordNotWritten extends PromptTuneException {

    private RecordNotWritten(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code problem}: the failed write in words, e.g. {@code runs/x/checkpoint.safetensors: cannot write: No space left on device}. */
    static RecordNotWritten of(Path recordDir, String problem, Throwable cause) {
        String kept = RunCheckpoint.exists(recordDir)
                ? "; the run stopped, and " + recordDir + " keeps its last checkpoint: once the record can be written "
                        + "again (room on the disk, write permission), continue it with `prompttune resume " + recordDir + "`"
                : "; the run stopped before its first checkpoint (written at the first evaluation), so nothing of it "
                        + "was kept";
        return new RecordNotWritten(problem + kept, cause);
    }
}
