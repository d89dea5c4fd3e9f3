package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launchers of one checkout started together build once, and a build waits for the commands still running from
 * the jars it would rewrite. Three runs started at once after a change used to run three Maven builds into the same
 * target/ folders; one JVM started on a half-written jar and failed with ClassNotFoundException. A notebook kernel
 * (started by Jupyter through bin/lib/kernel-start.sh) counts as a running command: before, its JVM was started by
 * Jupyter directly and a rebuild rewrote the jars under it.
 */
class LauncherLocksTest {

    @TempDir
    Path tmp;
    private LauncherCopy launcher;
    private Path events;

    @BeforeEach
    void copy() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v flock").start().waitFor() == 0, "flock (util-linux)");
        launcher = new LauncherCopy(tmp);
        events = tmp.resolve("events.txt");
        // The stand-ins take time, as a build and a run do, and say when they start and end.
        launcher.stub("mvn", "echo mvn-start >> '" + events + "'; sleep 1; echo mvn-end >> '" + events + "'");
        launcher.stub("java", "echo java-start >> '" + events + "'; sleep 2; echo java-end >> '" + events + "'");
    }

    @Test
    void launchersStartedTogetherBuildOnce() throws Exception {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(launcher.start(tmp.resolve("out-" + i + ".txt"), "--help"));
        }
        for (int i = 0; i < started.size(); i++) {
            Process p = started.get(i);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("out-" + i + ".txt")));
        }
        List<String> lines = Files.readAllLines(events);
        assertEquals(1, lines.stream().filter("mvn-start"::equals).count(), "one build for three launchers: " + lines);
        assertEquals(List.of("mvn-start", "mvn-end"), lines.subList(0, 2), "no JVM starts during the build: " + lines);
        assertEquals(3, lines.stream().filter("java-start"::equals).count(), lines.toString());
    }

    @Test
    void aRebuildWaitsForTheCommandsStillRunning() throws Exception {
        launcher.built();
        Process running = launcher.start(tmp.resolve("running.txt"), "--help");
        for (int i = 0; i < 100 && !(Files.exists(events) && Files.readString(events).contains("java-start")); i++) {
            Thread.sleep(50);
        }
        Files.delete(launcher.root.resolve("dsl/target/.prompttune-built-dsl")); // as after a change of sources
        Process next = launcher.start(tmp.resolve("next.txt"), "--help");
        assertTrue(running.waitFor(60, TimeUnit.SECONDS) && next.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, running.exitValue());
        assertEquals(0, next.exitValue(), Files.readString(tmp.resolve("next.txt")));
        assertEquals(List.of("java-start", "java-end", "mvn-start", "mvn-end", "java-start", "java-end"),
                Files.readAllLines(events), "the build waited for the running command");
        assertTrue(Files.readString(tmp.resolve("next.txt")).contains("waiting for the commands still running from this "
                + "checkout to end before rebuilding"), Files.readString(tmp.resolve("next.txt")));
    }

    @Test
    void aRebuildWaitsForTheNotebookKernelsStillRunning() throws Exception {
        launcher.built();
        launcher.stub("java", "echo java-start >> '" + events + "'; echo java-end >> '" + events + "'"); // no wait needed
        launcher.stub("kernel-jvm", "echo kernel-start >> '" + events + "'; sleep 2; echo kernel-end >> '" + events + "'");
        Process kernel = launcher.startKernel(Map.of(), tmp.resolve("kernel.txt"), "kernel-jvm");
        awaitEvent("kernel-start");
        Files.delete(launcher.root.resolve("dsl/target/.prompttune-built-dsl")); // as after a change of sources
        Process next = launcher.start(tmp.resolve("next.txt"), "--help");
        assertTrue(kernel.waitFor(60, TimeUnit.SECONDS) && next.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kernel.exitValue(), Files.readString(tmp.resolve("kernel.txt")));
        assertEquals(0, next.exitValue(), Files.readString(tmp.resolve("next.txt")));
        assertEquals(List.of("kernel-start", "kernel-end", "mvn-start", "mvn-end", "java-start", "java-end"),
                Files.readAllLines(events), "the build waited for the kernel");
        assertTrue(Files.readString(tmp.resolve("next.txt")).contains("(notebook kernels too: shut them down in Jupyter)"),
                Files.readString(tmp.resolve("next.txt")));
    }

    @Test
    void aKernelStartedDuringABuildWaitsForIt() throws Exception {
        launcher.stub("java", "echo java-start >> '" + events + "'; echo java-end >> '" + events + "'"); // no wait needed
        launcher.stub("kernel-jvm", "echo kernel-start >> '" + events + "'");
        Process building = launcher.start(tmp.resolve("building.txt"), "--help");
        awaitEvent("mvn-start");
        Process kernel = launcher.startKernel(Map.of(), tmp.resolve("kernel.txt"), "kernel-jvm");
        assertTrue(kernel.waitFor(60, TimeUnit.SECONDS) && building.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kernel.exitValue(), Files.readString(tmp.resolve("kernel.txt")));
        List<String> lines = Files.readAllLines(events);
        assertTrue(lines.indexOf("kernel-start") > lines.indexOf("mvn-end"), "the kernel started after the build: " + lines);
    }

    /** Jupyter waits 60 s for a kernel: a build that takes longer ends the start with a reason, not a silent hang. */
    @Test
    void aKernelGivesUpOnABuildThatOutlastsItsWait() throws Exception {
        launcher.stub("mvn", "echo mvn-start >> '" + events + "'; sleep 3; echo mvn-end >> '" + events + "'");
        launcher.stub("kernel-jvm", "echo kernel-start >> '" + events + "'");
        launcher.stub("java", "echo java-start >> '" + events + "'; echo java-end >> '" + events + "'"); // no wait needed
        Process building = launcher.start(tmp.resolve("building.txt"), "--help");
        awaitEvent("mvn-start");
        Process kernel = launcher.startKernel(Map.of("PROMPTTUNE_KERNEL_BUILD_WAIT_S", "1"), tmp.resolve("kernel.txt"), "kernel-jvm");
        assertTrue(kernel.waitFor(60, TimeUnit.SECONDS) && building.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(tmp.resolve("kernel.txt")).strip();
        assertEquals(1, kernel.exitValue(), said);
        assertEquals("prompttune kernel: " + launcher.root + " is being rebuilt (its sources changed) and the build took"
                + " longer than 1 s; start the kernel again once it has ended", said);
        assertTrue(!Files.readString(events).contains("kernel-start"), "the kernel's JVM did not start");
    }

    /** `kernel install` writes a kernelspec whose kernels start through the checkout's kernel-start.sh. */
    @Test
    void kernelInstallStartsKernelsThroughTheRunLock() throws Exception {
        launcher.built().kernelBuilt();
        Path args = tmp.resolve("install-args.txt");
        launcher.stub("java", "printf '%s\\n' \"$@\" >> '" + args + "'");
        launcher.run(Map.of(), "kernel", "install", "--prefix", tmp.resolve("prefix").toString());
        List<String> lines = Files.readAllLines(args);
        int at = lines.indexOf("--launcher");
        assertTrue(at >= 0 && lines.get(at + 1).equals(launcher.root.resolve("bin/lib/kernel-start.sh").toString()), lines.toString());
    }

    private void awaitEvent(String event) throws Exception {
        for (int i = 0; i < 200 && !(Files.exists(events) && Files.readString(events).contains(event)); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(events).contains(event), event + " never came");
    }
}
