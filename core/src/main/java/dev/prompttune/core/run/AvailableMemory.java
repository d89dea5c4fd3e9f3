package dev.prompttune.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The memory this process can still get: the machine's ({@code MemAvailable} of /proc/meminfo), or less where a
 * memory limit on its cgroup leaves less. A container (Docker {@code --memory}, a Kubernetes pod, a JupyterHub user
 * server) sees the whole host in /proc/meminfo; a run checked against that passed, then was killed by the OOM killer
 * mid-run without a word.
 *
 * <p>A cgroup's headroom is its limit minus what it uses that cannot be reclaimed: page cache ({@code file} in
 * cgroup v2's memory.stat, {@code total_cache} in v1's) is given back before the OOM killer acts, so counting it would
 * refuse runs that fit. The cgroup and every ancestor up to the mount point are read (a parent's limit binds its
 * children); where the process's own path does not exist under the mount (a container that mounts its cgroup as the
 * root), the mount's root is the cgroup.
 *
 * @param bytes what is available, in bytes
 * @param limit the binding cgroup limit in bytes, or 0 when the machine's memory binds
 * @param cgroup the binding cgroup's folder (for messages), or null when the machine's memory binds
 */
public record AvailableMemory(long bytes, long limit, Path cgroup) {

    /** At or above this a v1 limit means "none" (the kernel writes 2^63 rounded down to a page). */
    private static final long UNLIMITED = 1L << 60;

    /** Now, for this process (Linux; elsewhere empty: no check). */
    public static Optional<AvailableMemory> now() {
        return read(Path.of("/proc/meminfo"), Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    /** From the given files: /proc/meminfo, /proc/self/cgroup and the cgroup mount (tests pass a fake tree). */
    static Optional<AvailableMemory> read(Path meminfo, Path selfCgroup, Path cgroupMount) {
        Long machine = memAvailable(meminfo);
        if (machine == null) {
            return Optional.empty(); // not Linux, or /proc hidden
        }
        AvailableMemory best = new AvailableMemory(machine, 0, null);
        for (Path dir : cgroupFolders(selfCgroup, cgroupMount)) {
            AvailableMemory here = headroom(dir);
            if (here != null && here.bytes < best.bytes) {
                best = here;
            }
        }
        return Optional.of(best);
    }

    /** "this machine has 16.0 GiB available", or "the memory limit of cgroup X (2.0 GiB) leaves 1.2 GiB available". */
    public String describe() {
        return cgroup == null
                ? "this machine has " + gib(bytes) + " available"
                : "the memory limit of this process's cgroup (" + gib(limit) + ", " + cgroup + ") leaves " + gib(bytes)
                        + " available";
    }

    /** "16.0 GiB", or "45 MiB" below a GiB (where one decimal of GiB would read 0.0). */
    static String gib(double bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", Math.ceil(bytes / (1L << 20)));
    }

    private static Long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden
        }
        return null;
    }

    /**
     * The folders holding this process's memory cgroup and its ancestors, v2 ({@code 0::/path}, files in the mount)
     * and v1 (a line naming the {@code memory} controller, files under the mount's {@code memory/}).
     */
    private static List<Path> cgroupFolders(Path selfCgroup, Path mount) {
        List<Path> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(selfCgroup);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            boolean v2 = parts[0].equals("0") && parts[1].isEmpty();
            boolean v1 = List.of(parts[1].split(",")).contains("memory");
            if (v2) {
                addWithAncestors(out, mount, parts[2]);
            } else if (v1) {
                addWithAncestors(out, mount.resolve("memory"), parts[2]);
            }
        }
        return out;
    }

    private static void addWithAncestors(List<Path> out, Path root, String path) {
        Path dir = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            dir = root; // a container that mounts its own cgroup as the root
        }
        for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
            out.add(d);
        }
    }

    /** What {@code dir}'s limit leaves, or null when it has none (or its files cannot be read). */
    private static AvailableMemory headroom(Path dir) {
        Long limit = number(dir.resolve("memory.max"));
        Long usage;
        Long cache;
        if (limit != null) {
            usage = number(dir.resolve("memory.current"));
            cache = stat(dir.resolve("memory.stat"), "file");
        } else {
            limit = number(dir.resolve("memory.limit_in_bytes"));
            if (limit == null || limit >= UNLIMITED) {
                return null;
            }
            usage = number(dir.resolve("memory.usage_in_bytes"));
            cache = stat(dir.resolve("memory.stat"), "total_cache");
            if (cache == null) {
                cache = stat(dir.resolve("memory.stat"), "cache");
            }
        }
        if (usage == null) {
            return null;
        }
        long unreclaimable = Math.max(0, usage - (cache == null ? 0 : cache));
        return new AvailableMemory(Math.max(0, limit - unreclaimable), limit, dir);
    }

    /** The number in a one-line file; null when absent, unreadable or "max" (no limit). */
    private static Long number(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.equals("max") ? null : Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The value of {@code key} in a memory.stat file, or null. */
    private static Long stat(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.split(" ");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return Long.parseLong(kv[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no statistics: count all usage
        }
        return null;
    }
}
