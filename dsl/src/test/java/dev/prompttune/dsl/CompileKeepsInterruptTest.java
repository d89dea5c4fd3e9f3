package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.run.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stop requested before a script compiles (Ctrl-C while {@code prompttune run} starts up, a notebook's stop button)
 * survives the compilation, so no run starts. Groovy's first compilation in a JVM cleared the thread's interrupt flag:
 * the run then trained to its last step. Only a fresh JVM compiles cold, so the probe runs in a child JVM.
 */
class CompileKeepsInterruptTest {

    @Test
    void aColdCompileKeepsTheInterruptFlag() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Dprompttune.home=" + TestHomes.tiny(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(2, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        assertEquals("interrupted after compiling: true", out.strip(), out);
    }

    /** Sets the interrupt flag, compiles a script for the first time in this JVM and prints the flag. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            ScriptRunner runner = new ScriptRunner(new Experiments(Session.shared()));
            Thread.currentThread().interrupt();
            runner.compile("promptTune { model 'tiny'; data 'markers'; length 4; steps 5 }", "probe.groovy");
            System.out.println("interrupted after compiling: " + Thread.currentThread().isInterrupted());
        }
    }
}
