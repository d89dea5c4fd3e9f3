package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.StuckWriter;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process stopped in the middle of a save leaves no temp file in a run record for long: one that exits (a second
 * Ctrl-C, SIGTERM) deletes its own; one killed outright (SIGKILL) leaves one that the next run, the next load of
 * that record, or the next write of that file removes. A live writer's temp file is never touched.
 */
class LeftoverTempFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aTempFileLeftBySigkillIsRemovedByTheNextRunAndTheNextLoad() throws Exception {
        Path runs = tmp.resolve("runs");
        Path record = Files.createDirectories(runs.resolve("spam-labels-20-20260101-000000"));
        Process writer = stuckWriting(record.resolve("summary.json"));
        Path temp = onlyHiddenFile(record);
        assertTrue(temp.getFileName().toString().startsWith(".summary.json.") && temp.getFileName().toString().endsWith(".tmp"), temp.toString());

        RunRecord.create(runs, spec()).close();
        assertTrue(Files.exists(temp), "a live writer's temp file is left alone");

        writer.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(temp), "SIGKILL leaves the temp file behind");
        RunRecord.create(runs, spec()).close();
        assertTrue(Files.notExists(temp), "the next run in that folder removes it");

        Process second = stuckWriting(record.resolve("prompt.json"));
        Path again = onlyHiddenFile(record);
        second.destroyForcibly();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        try {
            RunRecord.load(record);
        } catch (PromptTuneException expected) {
            // not a complete record (no summary.json); loading it still cleans it
        }
        assertTrue(Files.notExists(again), "loading the record removes it");
    }

    @Test
    void theNextWriteOfTheSameFileRemovesAKilledWritersTempFile() throws Exception {
        Path target = tmp.resolve("prompt.json");
        Process writer = stuckWriting(target);
        Path temp = onlyHiddenFile(tmp);
        writer.destroyForcibly();
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.notExists(temp));
        assertEquals(List.of(target), list(tmp));
    }

    /** What a second Ctrl-C does: the JVM exits mid-write (SIGTERM runs the same exit path); no temp file is left. */
    @Test
    void aProcessThatExitsMidWriteLeavesNoTempFile() throws Exception {
        Path record = Files.createDirectories(tmp.resolve("record"));
        Process writer = stuckWriting(record.resolve("summary.json"));
        onlyHiddenFile(record);
        writer.destroy(); // SIGTERM: the JVM exits through its shutdown hooks
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), list(record), "nothing left: no temp file, no half-written summary");
    }

    /**
     * Process ids are reused (a container may give every start the same ones): a temp file named after this process,
     * which is not writing it, or after a live process that started after it was written, was left forever.
     */
    @Test
    void aTempFileWhoseProcessIdWasReusedIsRemoved() throws Exception {
        Path record = Files.createDirectories(tmp.resolve("reused"));
        Path ours = Files.createFile(record.resolve(".summary.json." + ProcessHandle.current().pid() + ".12345.tmp"));
        // Written (its time says) before the live process with its id started: another process's leftover.
        ProcessHandle init = ProcessHandle.of(1).orElseThrow();
        Path reused = Files.createFile(record.resolve(".prompt.json." + init.pid() + ".67890.tmp"));
        Files.setLastModifiedTime(reused, java.nio.file.attribute.FileTime.fromMillis(0));
        assertEquals(2, AtomicFiles.removeStaleTemps(record));
        assertTrue(Files.notExists(ours) && Files.notExists(reused));

        // A live process that wrote the file after it started is its writer: left alone.
        Process writer = stuckWriting(record.resolve("metrics.jsonl"));
        Path live = onlyHiddenFile(record);
        assertEquals(0, AtomicFiles.removeStaleTemps(record));
        assertTrue(Files.exists(live));
        writer.destroyForcibly();
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
    }

    private static PromptTuneSpec spec() {
        return PromptTuneSpec.builder().data("spam").build();
    }

    /** A child process hanging inside {@code AtomicFiles.write(target)}, started and seen to be writing. */
    private static Process stuckWriting(Path target) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), StuckWriter.class.getName(),
                target.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("writing", line, "the writer did not start writing");
        return p;
    }

    private static Path onlyHiddenFile(Path dir) throws IOException {
        List<Path> hidden = list(dir).stream().filter(f -> f.getFileName().toString().startsWith(".")).toList();
        assertEquals(1, hidden.size(), hidden.toString());
        return hidden.get(0);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
