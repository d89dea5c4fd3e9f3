package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher started through a symbolic link (one in ~/bin or /usr/local/bin, pointing into a shared checkout)
 * finds its checkout through the link. It used to take the link's folder for the checkout's bin/ and stop with
 * "BIN/lib/build-stamp.sh: No such file or directory".
 */
class LauncherSymlinkTest {

    @TempDir
    Path tmp;

    @Test
    void theLauncherRunsThroughASymbolicLink() throws Exception {
        LauncherCopy launcher = new LauncherCopy(tmp);
        launcher.built();
        Path bin = Files.createDirectories(tmp.resolve("elsewhere/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("prompttune"), launcher.root.resolve("bin/prompttune"));
        Path log = tmp.resolve("log.txt");
        ProcessBuilder viaLink = new ProcessBuilder("bash", link.toString(), "--help").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        viaLink.environment().put("PATH", launcher.stubs() + ":" + System.getenv("PATH"));
        Process q = viaLink.start();
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, q.exitValue(), Files.readString(log));
        assertTrue(Files.readString(launcher.javaArgs).lines().anyMatch("--help"::equals),
                "the command ran: " + Files.readString(launcher.javaArgs));
    }
}
