package dev.prompttune.tools.pretrain;

import dev.prompttune.core.model.ConvLinearGate;
import dev.prompttune.core.model.EngineThreads;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        m.put("threads", String.valueOf(EngineThreads.intraOp()));
        m.put("conv_linear", ConvLinearGate.allowed() ? "on" : "off");
        for (String pin : PINS) {
            String v = System.getenv(pin);
            m.put(pin, v == null ? "(unset)" : v);
        }
        return m;
    }

    /**
     * How this process's numerics differ from those a log's summary line recorded (none recorded: every one differs).
     */
    static List<String> differencesFrom(JsonObject loggedSummary) {
        Map<String, Object> logged = new LinkedHashMap<>();
        if (loggedSummary.has("numerics")) {
            loggedSummary.getAsJsonObject("numerics").entrySet().forEach(e -> logged.put(e.getKey(), e.getValue().getAsString()));
        }
        return differences(logged, current());
    }

    /** The entries (cpu included) on which {@code logged} and {@code now} differ, in {@code now}'s order, as "key a → b". */
    static List<String> differences(Map<String, Object> logged, Map<String, Object> now) {
        return now.entrySet().stream()
                .filter(e -> !String.valueOf(logged.get(e.getKey())).equals(String.valueOf(e.getValue())))
                .map(e -> e.getKey() + " " + (logged.containsKey(e.getKey()) ? logged.get(e.getKey()) : "(not logged)")
                        + " → " + e.getValue())
                .toList();
    }

    /**
     * The CPU as "model (family F, widest vector ISA)": VM CPUs often share a model name ("AMD EPYC") across
     * generations with different vector units (Zen 3: AVX2; Zen 4/5: AVX-512), which is what the pins are about.
     */
    private static String cpuModel() {
        try {
            return describeCpu(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch"); // not Linux: the architecture is all we can say
        }
    }

    /** {@link #cpuModel()} from the lines of /proc/cpuinfo (the first processor's entries). */
    static String describeCpu(List<String> cpuinfo) {
        String model = null;
        String family = null;
        String isa = null;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model == null) {
                model = value;
            } else if (key.equals("cpu family") && family == null) {
                family = value;
            } else if (key.equals("flags") && isa == null) {
                List<String> flags = List.of(value.split("\\s+"));
                isa = flags.contains("avx512f") ? "avx512f" : flags.contains("avx2") ? "avx2" : "no avx2";
            }
        }
        if (model == null) {
            return System.getProperty("os.arch");
        }
        List<String> detail = new ArrayList<>();
        if (family != null) {
            detail.add("family " + family);
        }
        if (isa != null) {
            detail.add(isa);
        }
        return detail.isEmpty() ? model : model + " (" + String.join(", ", detail) + ")";
    }
}
