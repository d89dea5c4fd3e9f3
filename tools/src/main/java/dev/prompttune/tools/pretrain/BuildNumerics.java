package dev.prompttune.tools.pretrain;

import dev.prompttune.core.model.ConvLinearGate;
import dev.prompttune.core.model.CpuModel;
import dev.prompttune.core.model.EngineThreads;
import com.google.gson.JsonObject;
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
        m.put("cpu", CpuModel.current());
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
}
