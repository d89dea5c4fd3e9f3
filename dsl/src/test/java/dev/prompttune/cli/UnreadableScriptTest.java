package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * s.groovy: s.groovy"). As root (CI) permissions do not apply, so the CLI runs under {@code setpriv} without the
 * capabilities that override them.
 */
class UnreadableScriptTest {

    @TempDir
    Path tmp;

    @Test
    void anUnreadableScriptIsNamedWithPermissionDenied() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX permissions");
        Path script = Files.writeString(tmp.resolve("s.groovy"), "promptTune { data 'markers' }\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("---------"));

        List<String> command = new ArrayList<>();
        if ((Integer) Files.getAttribute(tmp, "unix:uid") == 0) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) to drop root's DAC override");
            command.addAll(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprompttune.home=" + dev.prompttune.dsl.TestHomes.tiny(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), PromptTuneCli.class.getName(), "run", script.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals("prompttune: cannot read script " + script + ": permission denied", out);
        assertEquals(2, p.exitValue(), out);
    }
}
