package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/prompttune runs the JVM as its child (bin/lib/run-jvm.sh), so that a JVM killed outright, most often by the
 * out-of-memory killer, is reported instead of ending the command without a word; and the child must behave as the
 * exec'ed JVM did: it gets the signals sent to the launcher (SIGINT too, which a background child of a script starts
 * with ignored), the launcher's standard input, and the launcher ends with its exit status. The JVM here is a
 * stand-in shell script ({@link LauncherCopy}).
 */
class LauncherJvmChildTest {

    @TempDir
    Path tmp;
    private LauncherCopy launcher;
    private Path log;

    @BeforeEach
    void copy() throws Exception {
        launcher = new LauncherCopy(tmp).built();
        log = tmp.resolve("launcher.txt");
    }

    @Test
    void aJvmKilledOutrightIsReportedWithWhatToDo() throws Exception {
        launcher.stub("java", "kill -9 $$");
        Process p = launcher.start(log, "run", "x.groovy");
        assertEquals(137, exit(p), output());
        String out = output();
        assertTrue(out.matches("(?s).*prompttune: the JVM \\(pid \\d+\\) was ended by (the kernel's out-of-memory killer "
                + "\\(SIGKILL, exit 137\\)|SIGKILL \\(exit 137\\)).*"), out);
        assertTrue(out.contains("prompttune resume RECORD"), out);
    }

    /** eval writes nothing: killed, it is not told that a record keeps a checkpoint to resume (it was). */
    @Test
    void aKilledEvalIsToldNothingWasLost() throws Exception {
        launcher.stub("java", "kill -9 $$");
        Process p = launcher.start(log, "eval", "runs/x");
        assertEquals(137, exit(p), output());
        assertTrue(output().contains("prompttune: eval writes nothing, so nothing was lost."), output());
        assertTrue(!output().contains("resume"), output());
    }

    @Test
    void theJvmsExitStatusIsTheLaunchers() throws Exception {
        launcher.stub("java", "echo stand-in ran; exit 3");
        Process p = launcher.start(log, "--help");
        assertEquals(3, exit(p), output());
        assertTrue(output().contains("stand-in ran") && !output().contains("SIGKILL"), output());
    }

    @Test
    void sigtermSentToTheLauncherReachesTheJvm() throws Exception {
        assertSignalReachesTheJvm("TERM", 143);
    }

    /** A script's background child starts with SIGINT ignored; the launcher's JVM must still get Ctrl-C. */
    @Test
    void sigintSentToTheLauncherReachesTheJvm() throws Exception {
        assertSignalReachesTheJvm("INT", 130);
    }

    @Test
    void sighupSentToTheLauncherReachesTheJvm() throws Exception {
        assertSignalReachesTheJvm("HUP", 129);
    }

    /**
     * A java older than 17 is refused in one line, before anything starts (the jars are Java 17 classes: an older JVM
     * printed an UnsupportedClassVersionError stack trace). The version comes from the JDK's release file, here beside
     * the stand-in's folder.
     */
    @Test
    void aJavaOlderThan17IsRefusedInOneLine() throws Exception {
        Files.writeString(launcher.stubs().getParent().resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"11.0.2\"\n");
        launcher.stub("java", "echo stand-in ran");
        Process p = launcher.start(log, "--help");
        assertEquals(2, exit(p), output());
        assertEquals("prompttune: " + launcher.stubs().resolve("java") + " is Java 11.0.2; prompttune needs Java 17 or later:"
                + " install one (Debian: apt-get install openjdk-17-jdk-headless) and put it first on the PATH",
                output().strip());
        Files.writeString(launcher.stubs().getParent().resolve("release"), "JAVA_VERSION=\"21.0.1\"\n");
        assertEquals(0, exit(launcher.start(log, "--help")), output());
        assertTrue(output().contains("stand-in ran"), output());
    }

    /** The JVM reads the launcher's standard input (a child started with '&' would read /dev/null). */
    @Test
    void theJvmReadsTheLaunchersStandardInput() throws Exception {
        launcher.stub("java", "read line; echo \"stand-in read: $line\"");
        Process p = launcher.start(log, "--help");
        try (OutputStream in = p.getOutputStream()) {
            in.write("from the terminal\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, exit(p), output());
        assertTrue(output().contains("stand-in read: from the terminal"), output());
    }

    /**
     * The stand-in JVM handles {@code signal} as the real one does (it finishes its work and exits 128 + the number)
     * and says so once; the launcher, sent the signal, passes it on and ends with that status.
     */
    private void assertSignalReachesTheJvm(String signal, int status) throws Exception {
        // The stand-in waits in the background so that its trap runs at once (a shell defers traps until a
        // foreground command ends).
        launcher.stub("java", "trap 'kill $s; echo \"stand-in got SIG" + signal + "\"; exit " + status + "' " + signal
                + "\nsleep 60 &\ns=$!\necho ready\nwait $s\necho \"stand-in was never signalled\"");
        Process p = launcher.start(log, "run", "x.groovy");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!output().contains("ready")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "the stand-in never started: " + output());
            Thread.sleep(20);
        }
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        assertEquals(status, exit(p), output());
        assertEquals(1, output().split("stand-in got SIG" + signal, -1).length - 1, "passed on once: " + output());
    }

    private static int exit(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 60 s");
        }
        return p.exitValue();
    }

    private String output() throws Exception {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
