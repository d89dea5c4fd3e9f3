package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.io.FilePermissions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        List<String> command = new ArrayList<>(FilePermissions.enforcedPrefix(tmp));
        Path script = Files.writeString(tmp.resolve("s.groovy"), "promptTune { data 'markers' }\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("---------"));

        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprompttune.home=" + dev.prompttune.dsl.TestHomes.tiny(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), PromptTuneCli.class.getName(), "run", script.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals("prompttune: cannot read script " + script + ": permission denied", out);
        assertEquals(2, p.exitValue(), out);
    }
}
