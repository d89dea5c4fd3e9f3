package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.io.FilePermissions;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.dsl.Experiments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose record stops being writable mid-run (a full disk, a folder made read-only) stops with one line that
 * names the file, the reason, what the record keeps (its last checkpoint, whole) and the command that continues
 * it; that command does continue it once the record can be written again. The run is a real {@code prompttune run}
 * in a child JVM, subject to permissions even as root ({@link FilePermissions}).
 */
class RecordNotWrittenTest {

    @TempDir
    Path tmp;

    @Test
    void aRecordThatCannotBeWrittenMidRunStopsTheRunAndSaysHowToContinueIt() throws Exception {
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path runs = tmp.resolve("runs");
        CliProcess child = ChildRuns.start(FilePermissions.enforcedPrefix(tmp), home, tmp, runs, ChildRuns.LONG_RUN);
        child.await(l -> l.startsWith("eval at step 10:"));
        Path record = ChildRuns.onlyRecord(runs);
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("r-xr-xr-x")); // the next checkpoint fails
        int status = child.exit();
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rwxr-xr-x"));

        // A run that stopped unfinished, as a failed one: 1, not the 2 of bad input (the script was fine).
        assertEquals(PromptTuneCli.RUN_FAILED, status, child.toString());
        List<String> errors = child.err().lines().filter(l -> !l.startsWith("[WARN]")).toList();
        assertEquals(1, errors.size(), child.toString());
        String error = errors.get(0);
        assertTrue(error.contains(record.resolve("checkpoint.safetensors") + ": cannot write: permission denied"), error);
        assertTrue(error.endsWith("; the run stopped, and " + record + " keeps its last checkpoint: once the record can be "
                + "written again (room on the disk, write permission), continue it with `prompttune resume " + record + "`"),
                error);
        assertTrue(!error.contains("Exception"), error);

        ChildRuns.withHome(home, () -> {
            PromptTuneRun resumed = new Experiments(Session.shared()).listener(ChildRuns.stopAtOnce()).resume(record.toString());
            int checkpointStep = resumed.steps() - 1;
            assertTrue(checkpointStep == 5 || checkpointStep == 10, "resumed from a whole checkpoint: " + checkpointStep);
        });
    }

    /**
     * Ctrl-C, and then the record cannot be written (it was made read-only while the run trained, before its first
     * checkpoint): the failure is said beside the interrupt's summary, exit 130. It was swallowed: "0 run(s) recorded"
     * and nothing about why.
     */
    @Test
    void aRecordThatCannotBeWrittenAfterCtrlCIsSaidToo() throws Exception {
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path runs = tmp.resolve("runs-interrupted");
        // No evaluation (and so no checkpoint write) before the stop: the first write after the folder turns
        // read-only is the stop's own.
        CliProcess child = ChildRuns.start(FilePermissions.enforcedPrefix(tmp), home, tmp, runs,
                ChildRuns.LONG_RUN.replace("evalEvery 5", "evalEvery 100000"));
        child.await(l -> l.startsWith("training "));
        Path record = ChildRuns.onlyRecord(runs);
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("r-xr-xr-x"));
        child.signal("INT");
        int status = child.exit();
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(130, status, child.toString());
        assertTrue(child.err().contains(": cannot write: permission denied; the run stopped before its first checkpoint"),
                child.toString());
        assertTrue(child.err().contains("interrupted by SIGINT"), child.toString());
    }
}
