package dev.prompttune.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process, from Linux's /proc (native memory included, unlike the JVM heap). */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /** Peak RSS (VmHWM) in MiB, or -1 where /proc is not available. */
    public static long peakRssMib() {
        return statusKib("VmHWM:") / 1024;
    }

    /** Current RSS (VmRSS) in MiB, or -1. */
    public static long rssMib() {
        return statusKib("VmRSS:") / 1024;
    }

    /**
     * Resets the peak to the current RSS (Linux: write "5" to clear_refs), so a measurement's peak is its own.
     * Returns false where the kernel does not allow it.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Returns freed native memory to the system (glibc {@code malloc_trim(0)}), so that what one measurement freed
     * does not count as resident in the next one's peak. glibc keeps freed memory of its arenas mapped for reuse;
     * torch frees through it. Returns false where there is no glibc (the call is then a no-op).
     */
    public static boolean trim() {
        try {
            com.sun.jna.Function f = com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim");
            f.invokeInt(new Object[] {0});
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static long statusKib(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report unknown
        }
        return -1024;
    }
}
