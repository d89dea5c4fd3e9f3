package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM fatal error leaves its report in a known place and the launcher says where. First, bin/prompttune is run
 * in a copy of the repository layout with a stand-in {@code java} that records its arguments ({@link LauncherCopy});
 * then a real JVM given those same crash options is made to crash (an OutOfMemoryError turned into a fatal error).
 */
class CrashReportTest {

    @TempDir
    Path tmp;

    /** The JVM options bin/prompttune passes, with the crash folder set to {@code crashDir}. */
    private List<String> launcherJvmOptions(Path crashDir) throws Exception {
        LauncherCopy launcher = new LauncherCopy(tmp).built();
        launcher.run(Map.of("PROMPTTUNE_CRASH_DIR", crashDir.toString()), "--help");
        List<String> crash = new ArrayList<>();
        for (String a : Files.readAllLines(launcher.javaArgs)) {
            if (a.startsWith("-XX:ErrorFile=") || a.startsWith("-XX:OnError=")) {
                crash.add(a);
            }
        }
        return crash;
    }

    @Test
    void aCrashWritesItsReportWhereTheLauncherSays() throws Exception {
        Path crashDir = Files.createDirectories(tmp.resolve("crashes"));
        List<String> options = launcherJvmOptions(crashDir);
        assertTrue(options.contains("-XX:ErrorFile=" + crashDir.resolve("prompttune-hs_err-%p.log")), options.toString());
        assertTrue(options.stream().anyMatch(o -> o.startsWith("-XX:OnError=")), options.toString());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-Xmx32m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash",
                "-cp", System.getProperty("java.class.path"), Allocate.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.redirectOutput(tmp.resolve("crash-out.txt").toFile()).redirectError(tmp.resolve("crash-err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the crashing JVM did not end");
        String err = Files.readString(tmp.resolve("crash-err.txt"));
        assertTrue(p.exitValue() != 0, err);
        Matcher m = Pattern.compile("prompttune: the JVM crashed, its log is at (\\S+)").matcher(err);
        assertTrue(m.find(), "stderr names the crash report: " + err);
        Path report = Path.of(m.group(1));
        assertEquals(crashDir, report.getParent());
        assertTrue(report.getFileName().toString().matches("prompttune-hs_err-\\d+\\.log"), report.toString());
        assertTrue(Files.readString(report).contains("A fatal error has been detected by the Java Runtime Environment"),
                "the report is the JVM's");
    }

    /** Allocates until the heap is full (with CrashOnOutOfMemoryError: a JVM fatal error). */
    public static final class Allocate {
        public static void main(String[] args) {
            List<long[]> hold = new ArrayList<>();
            while (true) {
                hold.add(new long[1 << 20]);
            }
        }
    }
}
