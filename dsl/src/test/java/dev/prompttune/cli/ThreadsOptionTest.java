package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads} outside 1 to 1024 is bad input (one line, exit 2), refused before the engine starts: PyTorch
 * throws a native exception for 0 or fewer, and a huge count kept the engine from starting for minutes.
 */
class ThreadsOptionTest {

    @TempDir
    Path tmp;

    @Test
    void threadCountsOutsideTheRangeAreOneLineErrors() throws Exception {
        CliTest.home();
        Path s = Files.writeString(tmp.resolve("threads.groovy"), "promptTune { model 'tiny'; data 'markers' }\n");
        for (String threads : new String[] {"0", "-1", "100000"}) {
            for (String[] args : new String[][] {{"run", "--threads", threads, "--check", s.toString()},
                                                 {"resume", "--threads", threads, s.getParent().toString()},
                                                 {"eval", "--threads", threads, s.getParent().toString()}}) {
                CliTest.Result r = CliTest.cli(args);
                assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
                assertEquals(java.util.List.of("prompttune: --threads is " + threads + "; allowed: 1 to 1024 (this machine has "
                        + Runtime.getRuntime().availableProcessors() + " cores)"), CliTest.withoutEngineLog(r.err()),
                        String.join(" ", args));
            }
        }
        for (String threads : new String[] {"99999999999", "two", " "}) {
            CliTest.Result r = CliTest.cli("run", "--threads", threads, "--check", s.toString());
            assertEquals(2, r.status(), threads + ": " + r.err());
            assertEquals(java.util.List.of("prompttune: --threads is '" + threads + "'; allowed: a whole number from 1 to "
                    + "1024 (this machine has " + Runtime.getRuntime().availableProcessors() + " cores)"),
                    CliTest.withoutEngineLog(r.err()), threads);
        }
    }
}
