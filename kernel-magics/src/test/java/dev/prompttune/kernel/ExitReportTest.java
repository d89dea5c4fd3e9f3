package dev.prompttune.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.ProcessExit;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A kernel JVM that ends through System.exit (a cell reaching it by reflection) says so in one line on stderr; one that
 * ends the kernel's own way ({@code _exit}) prints nothing. Runs {@link Probe} in a JVM of its own.
 */
class ExitReportTest {

    /** {@code exit}: System.exit(3) from a method of this class; {@code kernel}: the kernel's own end. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            ExitReport.install();
            if (args[0].equals("exit")) {
                System.class.getMethod("exit", int.class).invoke(null, 3);
            }
            ProcessExit.now(0);
        }
    }

    private static List<String> stderrOf(String how, int expectedStatus) throws Exception {
        Path target = Path.of(System.getProperty("prompttune.kernel.builddir", "target")).toAbsolutePath();
        String cp = String.join(File.pathSeparator, target.resolve("classes").toString(),
                target.resolve("test-classes").toString(), target.resolve("lib") + File.separator + "*");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                Probe.class.getName(), how).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedStatus, p.exitValue(), err);
        return err.lines().filter(l -> l.startsWith("prompttune kernel")).toList();
    }

    @Test
    void systemExitIsReportedInOneLine() throws Exception {
        List<String> lines = stderrOf("exit", 3);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("prompttune kernel: ending: System.exit was called at "), lines.get(0));
        assertTrue(lines.get(0).contains("ExitReportTest$Probe.main"), lines.get(0));
    }

    @Test
    void theKernelsOwnEndPrintsNothing() throws Exception {
        assertEquals(List.of(), stderrOf("kernel", 0));
    }
}
