package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory available to a run inside a container: a cgroup's limit binds where it leaves less than the machine's
 * MemAvailable. Fake /proc and cgroup trees, laid out as the kernel's documentation gives cgroup v1 and v2.
 */
class AvailableMemoryTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    private Path meminfo;
    private Path self;
    private Path mount;

    private void machine(long availableKib) throws Exception {
        meminfo = Files.writeString(tmp.resolve("meminfo"), "MemTotal:       24683784 kB\nMemFree:  1 kB\n"
                + "MemAvailable:   " + availableKib + " kB\n");
        mount = Files.createDirectories(tmp.resolve("cgroup"));
    }

    private void cgroupLines(String... lines) throws Exception {
        self = Files.writeString(tmp.resolve("self-cgroup"), String.join("\n", lines) + "\n");
    }

    private static Path dir(Path root, String path, String... files) throws Exception {
        Path d = Files.createDirectories(root.resolve(path));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(d.resolve(files[i]), files[i + 1]);
        }
        return d;
    }

    private AvailableMemory read() {
        return AvailableMemory.read(meminfo, self, mount).orElseThrow();
    }

    @Test
    void aCgroupV2LimitBindsBelowTheMachinesMemory() throws Exception {
        machine(16 * 1024 * 1024); // 16 GiB
        cgroupLines("0::/kubepods/pod1");
        Path pod = dir(mount, "kubepods/pod1", "memory.max", String.valueOf(2 * GIB), "memory.current",
                String.valueOf(1536 * MIB), "memory.stat", "anon 536870912\nfile " + GIB + "\nkernel 0\n");
        AvailableMemory m = read();
        // 2 GiB limit − (1.5 GiB used − 1 GiB page cache the kernel reclaims first) = 1.5 GiB.
        assertEquals(1536 * MIB, m.bytes());
        assertEquals(pod, m.cgroup());
        assertEquals("the memory limit of this process's cgroup (2.0 GiB, " + pod + ") leaves 1.5 GiB available",
                m.describe());
    }

    @Test
    void aParentsLimitBindsItsChildren() throws Exception {
        machine(16 * 1024 * 1024);
        cgroupLines("0::/user.slice/session");
        dir(mount, "user.slice", "memory.max", String.valueOf(GIB), "memory.current", String.valueOf(256 * MIB));
        dir(mount, "user.slice/session", "memory.max", "max", "memory.current", String.valueOf(100 * MIB));
        AvailableMemory m = read();
        assertEquals(768 * MIB, m.bytes(), "no memory.stat: all usage counts");
        assertEquals(mount.resolve("user.slice"), m.cgroup());
    }

    @Test
    void withoutALimitTheMachineBinds() throws Exception {
        machine(8 * 1024 * 1024);
        cgroupLines("0::/", "4:memory:/a");
        dir(mount, "", "memory.current", String.valueOf(GIB)); // the v2 root has no memory.max
        dir(mount, "memory/a", "memory.limit_in_bytes", "9223372036854771712", "memory.usage_in_bytes", "1000");
        AvailableMemory m = read();
        assertEquals(8 * GIB, m.bytes());
        assertNull(m.cgroup());
        assertEquals("this machine has 8.0 GiB available", m.describe());
    }

    /** Docker on cgroup v1: /proc/self/cgroup names the host's path, the container sees its cgroup at the mount. */
    @Test
    void aCgroupV1ContainerMountedAsTheRoot() throws Exception {
        machine(16 * 1024 * 1024);
        cgroupLines("9:cpu,cpuacct:/docker/abc", "4:memory:/docker/abc", "1:name=systemd:/docker/abc");
        dir(mount, "memory", "memory.limit_in_bytes", String.valueOf(3 * GIB), "memory.usage_in_bytes",
                String.valueOf(GIB), "memory.stat", "cache 1\nrss 2\ntotal_cache " + (512 * MIB) + "\ntotal_rss 3\n");
        AvailableMemory m = read();
        assertEquals(3 * GIB - 512 * MIB, m.bytes(), "3 GiB − (1 GiB used − 0.5 GiB cache)");
        assertEquals(mount.resolve("memory"), m.cgroup());
    }

    @Test
    void theMachineBindsWhenItHasLessThanTheLimitLeaves() throws Exception {
        machine(512 * 1024); // 0.5 GiB
        cgroupLines("0::/pod");
        dir(mount, "pod", "memory.max", String.valueOf(4 * GIB), "memory.current", "0");
        assertEquals(512 * MIB, read().bytes());
        assertNull(read().cgroup());
    }

    @Test
    void withoutProcNothingIsKnown() throws Exception {
        machine(1);
        cgroupLines("0::/");
        assertEquals(Optional.empty(), AvailableMemory.read(tmp.resolve("no-meminfo"), self, mount));
        assertEquals(1024, AvailableMemory.read(meminfo, tmp.resolve("no-cgroup-file"), mount).orElseThrow().bytes());
    }

    /** The step check names the cgroup's limit when it is what refuses the batch. */
    @Test
    void theStepCheckNamesTheBindingLimit() throws Exception {
        machine(16 * 1024 * 1024);
        cgroupLines("0::/pod");
        Path pod = dir(mount, "pod", "memory.max", String.valueOf(GIB), "memory.current", "0");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> StepMemory.check(
                StepMemoryTest.spec().length(20).batch(100_000).build(), StepMemoryTest.MINI, StepMemory.Batches.UNKNOWN, true,
                read()));
        long fits = (GIB - GIB / 10) / StepMemoryTest.trainingBytesPerExample(20); // the advice keeps a tenth free
        assertTrue(e.getMessage().endsWith("and the memory limit of this process's cgroup (1.0 GiB, " + pod + ") leaves "
                + "1.0 GiB available; allowed here: batch <= " + fits + " (gradientAccumulation keeps the effective batch)"),
                e.getMessage());
    }
}
