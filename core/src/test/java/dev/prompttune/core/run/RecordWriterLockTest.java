package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TrainerState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per record, within one process too (two notebook cells' threads, a resume of a record this process
 * still writes). Across processes: {@code OneWriterPerRecordTest} in the dsl module, with a real run in a child JVM.
 */
class RecordWriterLockTest {

    /** A checkpoint's state at step 0: nothing trained, nothing logged. */
    private static final TrainerState AT_STEP_0 = new TrainerState(0, new float[0][], new float[0][], new float[0][],
            Double.NaN, 0, 0, List.of(), List.of(), null);

    @TempDir
    Path tmp;

    @Test
    void aRecordBeingWrittenCannotBeReopenedUntilItsRunEnds() {
        RunRecord running = RunRecord.create(tmp, PromptTuneSpec.builder().data("spam").build());
        Path dir = running.dir();
        assertTrue(RecordWriterLock.writtenNow(dir));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.resume(dir, AT_STEP_0));
        assertTrue(e.getMessage().startsWith(dir + " is being written by a run that is still going"), e.getMessage());
        assertTrue(RecordWriterLock.writtenNow(dir), "a refused reopening leaves the writer's lock in place");

        running.close();
        assertFalse(RecordWriterLock.writtenNow(dir), "the lock ends with the run's record");
        RunRecord.resume(dir, AT_STEP_0).close();
        assertFalse(RecordWriterLock.writtenNow(dir));
    }
}
