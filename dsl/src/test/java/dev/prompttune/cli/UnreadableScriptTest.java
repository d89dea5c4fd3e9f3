package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.io.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script the user may not read gets "permission denied", not the exception's bare path ("cannot read script
 * s.groovy: s.groovy"). The CLI runs in a child JVM, subject to permissions even as root ({@link FilePermissions}).
 */
class UnreadableScriptTest {

    @TempDir
    Path tmp;

    @Test
    void anUnreadableScriptIsNamedWithPermissionDenied() throws Exception {
        Path script = Files.writeString(tmp.resolve("s.groovy"), "promptTune { data 'markers' }\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("---------"));

        CliProcess child = CliProcess.start(FilePermissions.enforcedPrefix(tmp), dev.prompttune.dsl.TestHomes.tiny(),
                "run", script.toString());
        assertEquals(2, child.exit(), child.toString());
        assertEquals("", child.out(), child.toString());
        assertEquals("prompttune: cannot read script " + script + ": permission denied", child.err().strip());
    }
}
