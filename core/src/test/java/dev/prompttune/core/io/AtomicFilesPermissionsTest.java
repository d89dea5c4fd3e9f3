package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written atomically gets the permissions any new file of the process gets (its umask), not a temp file's
 * private 0600: run records are shared, and a colleague must be able to read a prompt as well as its metrics.
 */
class AtomicFilesPermissionsTest {

    @TempDir
    Path dir;

    @Test
    void anAtomicWriteHasTheProcesssUsualPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain.json"));
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(plain);
        assumeTrue(usual.contains(PosixFilePermission.GROUP_READ) || usual.contains(PosixFilePermission.OTHERS_READ),
                "a umask that lets others read new files (else 0600 is the usual permission too)");

        Path written = dir.resolve("prompt.safetensors");
        AtomicFiles.write(written, "first".getBytes(StandardCharsets.UTF_8));
        assertEquals(usual, Files.getPosixFilePermissions(written));
        AtomicFiles.write(written, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals(usual, Files.getPosixFilePermissions(written), "a replaced file too");
        assertEquals("second", Files.readString(written));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }
}
