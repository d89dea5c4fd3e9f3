package dev.prompttune.core.pretrain;

import dev.prompttune.core.model.ConvLinearGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What decides the rounding of a pretraining run besides its options: the CPU, the thread count and the kernel
 * choices. Full-model training at the peak learning rate amplifies a last-bit difference into a different loss curve
 * within a few hundred steps, so a rebuild repeats the logged losses only where these match. The build script pins
 * the kernel choices (MKL's and ATen's code paths to AVX2, oneDNN's ISA, the convolution route off, 2 threads) so that
 * x86 machines with AVX2 take the same paths; this record says what a run actually had, for the log and for
 * {@code --check}.
 */
final class BuildNumerics {

    /** The environment variables that select CPU code paths (unset: each library picks the CPU's best). */
    static final List<String> PINS = List.of("MKL_CBWR", "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "OMP_NUM_THREADS");

    private BuildNumerics() {}

    /** This process's numerics, insertion-ordered: cpu, intra-op threads, convolution route, and each pin. */
    static Map<String, Object> current() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("threads", String.valueOf(intraOpThreads()));
        m.put("conv_linear", ConvLinearGate.allowed() ? "on" : "off");
        for (String pin : PINS) {
            String v = System.getenv(pin);
            m.put(pin, v == null ? "(unset)" : v);
        }
        return m;
    }

    /** The settings (everything but the cpu's name) on which {@code logged} and {@code now} differ, as "key a → b". */
    static List<String> differences(Map<String, Object> logged, Map<String, Object> now) {
        return now.entrySet().stream()
                .filter(e -> !e.getKey().equals("cpu"))
                .filter(e -> !String.valueOf(logged.get(e.getKey())).equals(String.valueOf(e.getValue())))
                .map(e -> e.getKey() + " " + (logged.containsKey(e.getKey()) ? logged.get(e.getKey()) : "(not logged)")
                        + " → " + e.getValue())
                .toList();
    }

    private static int intraOpThreads() {
        String set = System.getProperty("ai.djl.pytorch.num_threads");
        if (set != null) {
            try {
                return Integer.parseInt(set.trim());
            } catch (NumberFormatException e) {
                // DJL rejects it itself; report the default below
            }
        }
        // DJL leaves PyTorch's default: one thread per core.
        return Runtime.getRuntime().availableProcessors();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture is all we can say
        }
        return System.getProperty("os.arch");
    }
}
