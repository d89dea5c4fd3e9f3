package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.Session;
import dev.prompttune.dsl.Experiments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record has one writer. {@code resume} of a record whose run is still going (a real {@code prompttune run} in a
 * child JVM, after its first checkpoint) is refused before anything is loaded, and loading it says the run is still
 * going rather than "did not finish". Once that process is gone (SIGKILL: no clean-up ran), its record can be resumed.
 */
class OneWriterPerRecordTest {

    @TempDir
    Path tmp;

    @Test
    void aRecordWhoseRunIsStillGoingIsNotResumedTwice() throws Exception {
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path runs = tmp.resolve("runs");
        CliProcess child = ChildRuns.start(List.of(), home, tmp, runs, ChildRuns.LONG_RUN);
        child.await(l -> l.startsWith("eval at step 10:")); // step 5's checkpoint is written by now
        Path record = ChildRuns.onlyRecord(runs);
        ChildRuns.withHome(home, () -> {
            // Were the resume accepted, it would stop after one step, not train for 100,000.
            Experiments experiments = new Experiments(Session.shared()).listener(ChildRuns.stopAtOnce());
            PromptTuneException twice = assertThrows(PromptTuneException.class, () -> experiments.resume(record.toString()));
            assertEquals(record + " is being written by a run that is still going (another process or notebook holds its "
                    + "record); allowed: resuming it after that run has ended (stop it with Ctrl-C: it keeps its "
                    + "checkpoint)", twice.getMessage());
            PromptTuneException load = assertThrows(PromptTuneException.class, () -> experiments.load(record.toString()));
            assertTrue(load.getMessage().contains("is the record of a run that is still going"), load.getMessage());

            child.signal("KILL");
            assertEquals(137, child.exit());
            load = assertThrows(PromptTuneException.class, () -> experiments.load(record.toString()));
            assertTrue(load.getMessage().contains("did not finish") && load.getMessage().contains("prompttune resume"),
                    "the lock went with the process: " + load.getMessage());
        });
    }
}
