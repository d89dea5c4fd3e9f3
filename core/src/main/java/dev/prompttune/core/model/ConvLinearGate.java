package dev.prompttune.core.model;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether {@link Linears} may route products through oneDNN's 1 × 1 convolution on this machine.
 *
 * <p>Why a gate: oneDNN sizes its convolution blocking from the CPU's cache sizes, read with {@code cpuid}. Some
 * virtual machines hide those cpuid leaves; oneDNN then divides by a zero cache size and the process dies of SIGFPE
 * inside libtorch (no Java exception, nothing saved). Measured 2026-12-03 on a 2-vCPU AMD EPYC (family 26) VM:
 * {@code brgemm_convolution_utils::brg_blocking_t::est_eff_1x1} crashed on the first encoder product, while torch's
 * own {@code linear} (MKL) ran fine. Linux fills {@code /sys/devices/system/cpu/cpu0/cache} from the same cpuid
 * leaves, so an empty or zero-sized listing there means oneDNN would see zeros too.
 *
 * <p>{@code -Dprompttune.convLinear=auto|on|off} (default auto: on only where Linux lists the CPU's caches).
 */
public final class ConvLinearGate {

    static final String PROPERTY = "prompttune.convLinear";

    private static final Path LINUX_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /**
     * Decided on first use, not in a static initialiser: a bad setting must reach the caller as a
     * {@link PromptTuneException} (one line in the CLI and the kernel), not as an ExceptionInInitializerError.
     */
    private static volatile Boolean allowed;

    private ConvLinearGate() {}

    /** True when the convolution route is switched on for this process. */
    public static boolean allowed() {
        Boolean decided = allowed;
        if (decided == null) {
            decided = decide(System.getProperty(PROPERTY, "auto"), LINUX_CACHES);
            allowed = decided;
        }
        return decided;
    }

    static boolean decide(String setting, Path cacheDir) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            case "auto":
                return cachesVisible(cacheDir);
            default:
                throw new PromptTuneException(
                        "-D" + PROPERTY + "=" + setting + " is not a setting; allowed: auto, on, off");
        }
    }

    /** True when {@code cacheDir} lists at least one cache (index0, index1, …) of level 2 or more with a size. */
    static boolean cachesVisible(Path cacheDir) {
        if (!Files.isDirectory(cacheDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(cacheDir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("index"))
                    .anyMatch(ConvLinearGate::isSizedOuterCache);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isSizedOuterCache(Path index) {
        try {
            int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
            String size = Files.readString(index.resolve("size")).trim(); // e.g. "1024K"
            long kib = Long.parseLong(size.replaceAll("[^0-9]", ""));
            return level >= 2 && kib > 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
