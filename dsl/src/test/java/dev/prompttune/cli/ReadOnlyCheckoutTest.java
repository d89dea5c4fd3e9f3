package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prompttune.core.io.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkout its users may read but not write (a shared installation, built by its owner) runs for them: the
 * launcher's run lock used to open its lock file for writing and stop with "Permission denied", exit 1, before any
 * command ran. Where such a checkout needs a build, the launcher says who has to make it.
 * <p>
 * The reader is the launcher run subject to permissions even as root ({@link FilePermissions}), as the files' owner
 * (so the owner's write bits are taken away too).
 */
class ReadOnlyCheckoutTest {

    @TempDir
    Path tmp;

    @Test
    void aReaderRunsABuiltCheckoutItCannotWrite() throws Exception {
        LauncherCopy launcher = sharedCopy();
        launcher.built();
        assertEquals(0, runAsOwner(launcher), "the owner's first run makes the lock file");
        List<Path> closed = closeForWriting(launcher);
        try {
            Path log = tmp.resolve("reader.txt");
            Process p = launcher.start(reader(), log, "--help");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
            assertTrue(Files.readString(launcher.javaArgs).lines().filter("--help"::equals).count() == 2,
                    "the reader's command ran: " + Files.readString(launcher.javaArgs));
        } finally {
            reopen(closed);
        }
    }

    @Test
    void aReaderOfACheckoutThatNeedsABuildIsToldWhoMustBuildIt() throws Exception {
        LauncherCopy launcher = sharedCopy();
        launcher.built();
        assertEquals(0, runAsOwner(launcher));
        Files.delete(launcher.root.resolve("dsl/target/.prompttune-built-dsl")); // sources changed, not rebuilt
        List<Path> closed = closeForWriting(launcher);
        try {
            Path log = tmp.resolve("reader.txt");
            Process p = launcher.start(reader(), log, "--help");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = Files.readString(log).strip();
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.startsWith("prompttune: " + launcher.root + " must be rebuilt") && out.contains("cannot write to it: "
                    + "ask its owner to run prompttune once there") && out.lines().count() == 1, out);
            assertTrue(Files.notExists(launcher.mvnArgs), "no build was tried");
        } finally {
            reopen(closed);
        }
    }

    private LauncherCopy sharedCopy() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v flock").start().waitFor() == 0, "flock (util-linux)");
        return new LauncherCopy(tmp);
    }

    private int runAsOwner(LauncherCopy launcher) throws Exception {
        Process p = launcher.start(tmp.resolve("owner.txt"), "--help");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    /** Takes the write bits off the checkout's folders and lock files (as a shared installation has them). */
    private List<Path> closeForWriting(LauncherCopy launcher) throws Exception {
        Path locks = launcher.root.resolve("core/target");
        assertTrue(Files.isRegularFile(locks.resolve(".prompttune-run.lock")), "the lock file the owner's run made");
        List<Path> closed = new java.util.ArrayList<>();
        try (var files = Files.list(locks)) {
            closed.addAll(files.toList());
        }
        closed.addAll(List.of(locks, launcher.root.resolve("core"), launcher.root.resolve("dsl/target"), launcher.root));
        for (Path p : closed) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
        }
        return closed;
    }

    private static void reopen(List<Path> closed) throws Exception {
        for (Path p : closed) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private List<String> reader() throws Exception {
        return FilePermissions.enforcedPrefix(tmp);
    }
}
