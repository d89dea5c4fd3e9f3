package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.model.EngineThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run is bit for bit the uninterrupted one only at the same PyTorch thread count: a change is said. */
class RunEnvironmentTest {

    @TempDir
    Path record;

    private void summaryWithThreads(int threads) throws Exception {
        Files.writeString(record.resolve("summary.json"), "{\"id\": \"x\", \"environment\": {\"pytorch_threads\": "
                + threads + ", \"cpu\": \"some cpu\", \"cores\": 2, \"java\": \"17\"}}");
    }

    @Test
    void anotherThreadCountIsNamedWithTheOneThatGivesTheSameBits() throws Exception {
        int now = EngineThreads.intraOp();
        summaryWithThreads(now + 1);
        Optional<String> warning = RunEnvironment.threadsChange(record);
        assertEquals(Optional.of(record + " trained with " + (now + 1) + " PyTorch threads and resumes with " + now
                + ": the result will differ from the uninterrupted run's in the last digits (resume with --threads "
                + (now + 1) + " for the same bits)"), warning);
    }

    /** A run killed outright has no summary: its checkpoint says the count. */
    @Test
    void aKilledRunsCheckpointSaysItsThreadCount() throws Exception {
        int now = EngineThreads.intraOp();
        new SafetensorsWriter().add("x", new float[1], new long[] {1}, "F32")
                .metadata(RunCheckpoint.METADATA_KEY, "{\"pytorch_threads\": " + (now + 1) + "}")
                .write(record.resolve(RunCheckpoint.FILE));
        assertTrue(RunEnvironment.threadsChange(record).orElseThrow().startsWith(record + " trained with " + (now + 1)
                + " PyTorch threads and resumes with " + now));
    }

    @Test
    void theSameCountOrNoSummaryIsQuiet() throws Exception {
        assertTrue(RunEnvironment.threadsChange(record).isEmpty(), "a killed run without a checkpoint says nothing");
        summaryWithThreads(EngineThreads.intraOp());
        assertTrue(RunEnvironment.threadsChange(record).isEmpty());
        Files.writeString(record.resolve("summary.json"), "{\"id\": \"x\"}"); // written before records said it
        assertTrue(RunEnvironment.threadsChange(record).isEmpty());
    }
}
