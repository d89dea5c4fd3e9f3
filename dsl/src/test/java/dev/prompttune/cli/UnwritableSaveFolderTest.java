package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.io.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code save} folder this user cannot write is refused at its line by {@code run --check}, before anything runs
 * (it said ok, and the run failed at its first line without a record). Checked in a child JVM, subject to
 * permissions even as root ({@link FilePermissions}).
 */
class UnwritableSaveFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aSaveFolderThatCannotBeWrittenIsRefusedByTheCheck() throws Exception {
        List<String> prefix = FilePermissions.enforcedPrefix(tmp);
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Path script = Files.writeString(tmp.resolve("locked.groovy"),
                "promptTune {\n  model 'tiny'; data 'markers'\n  save '" + locked.resolve("runs") + "'\n}\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliProcess child = CliProcess.start(prefix, home, "run", "--check", script.toString());
            assertEquals(2, child.exit(), child.toString());
            assertTrue(child.err().contains(script + ":3: save " + locked.resolve("runs") + ": its nearest existing folder "
                    + locked + " cannot be written (read-only or permission denied); allowed: a folder this user can "
                    + "write"), child.toString());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Without a save setting the record goes under runs/ of the folder the command runs in: checked there too. */
    @Test
    void theDefaultRecordFolderIsCheckedToo() throws Exception {
        List<String> prefix = FilePermissions.enforcedPrefix(tmp);
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path here = Files.createDirectories(tmp.resolve("read-only-here"));
        Path script = Files.writeString(tmp.resolve("default.groovy"), "promptTune {\n  model 'tiny'; data 'markers'\n}\n");
        Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliProcess child = CliProcess.startIn(here, prefix, home, "run", "--check", script.toString());
            assertEquals(2, child.exit(), child.toString());
            assertTrue(child.err().contains(script + ":1: cannot create a run record under runs: its nearest existing "
                    + "folder " + here + " cannot be written (read-only or permission denied); allowed: a folder this "
                    + "user can write, given with save 'DIR'"), child.toString());
        } finally {
            Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
