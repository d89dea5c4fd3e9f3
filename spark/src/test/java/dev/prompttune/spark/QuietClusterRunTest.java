package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code cluster 'local[2]'} run from the command line prints no warning lines, as a plain run does
 * (dsl's QuietEngineTest): Spark warned that the host name resolves to a loopback address (before any conf applies;
 * local masters bind to 127.0.0.1 anyway) and that Hadoop's native library is missing. A child JVM, as a user starts
 * it, with the flags bin/prompttune passes.
 */
class QuietClusterRunTest {

    @TempDir
    Path tmp;

    @Test
    void aLocalClusterRunPrintsNoWarnings() throws Exception {
        Path home = TinyWorld.home(Files.createDirectories(tmp.resolve("home")));
        Path script = Files.writeString(tmp.resolve("cluster.groovy"), """
                promptTune { model 'tiny'; data 'markers'; length 4; steps 2; batch 4; evalEvery 2; baselines(); \
                cluster 'local[2]'; save '%s' }
                """.formatted(tmp.resolve("runs")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JavaOptions.flags());
        command.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dprompttune.home=" + home,
                "-cp", System.getProperty("java.class.path"), "dev.prompttune.cli.PromptTuneCli", "run", "-q", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        // As a user starts it: this module's surefire sets SPARK_LOCAL_IP for its own tests, which hides the warning.
        pb.environment().remove("SPARK_LOCAL_IP");
        pb.environment().remove("SPARK_LOCAL_HOSTNAME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("prompt tuning"), "the result table: " + out);
        for (String line : out.lines().toList()) {
            assertTrue(!line.contains("[WARN]") && !line.contains("[ERROR]"), "warning printed: " + line + "\n---\n" + out);
        }
    }
}
