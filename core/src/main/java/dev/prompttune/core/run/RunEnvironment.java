package dev.prompttune.core.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.model.EngineThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run ran, for its record: the last digits of a result depend on the PyTorch thread count and the CPU
 * (float sums in another order), so a record says both, and a reader comparing two runs' digits can tell whether
 * they may differ for that reason alone.
 */
final class RunEnvironment {

    private RunEnvironment() {}

    /** {@code pytorch_threads}, {@code cpu} (Linux's model name, else the architecture), {@code cores}, {@code java}. */
    static Map<String, Object> current() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pytorch_threads", EngineThreads.intraOp());
        m.put("cpu", cpuName());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    /**
     * A warning when the run recorded in {@code recordDir} (its summary, written when it stopped) trained with another
     * PyTorch thread count than this process has: resumed so, it ends near the uninterrupted run but not bit for bit.
     * Empty when the counts agree, or when the record says none (a killed run has no summary).
     */
    static Optional<String> threadsChange(Path recordDir) {
        Path summary = recordDir.resolve("summary.json");
        int now = EngineThreads.intraOp();
        try {
            JsonObject env = JsonParser.parseString(Files.readString(summary)).getAsJsonObject()
                    .getAsJsonObject("environment");
            int then = env.get("pytorch_threads").getAsInt();
            return then == now ? Optional.empty() : Optional.of(recordDir + " trained with " + then + " PyTorch thread"
                    + (then == 1 ? "" : "s") + " and resumes with " + now + ": the result will differ from the "
                    + "uninterrupted run's in the last digits (resume with --threads " + then + " for the same bits)");
        } catch (IOException | RuntimeException noRecord) {
            return Optional.empty();
        }
    }

    private static String cpuName() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                String model = lines.filter(l -> l.startsWith("model name")).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(null);
                String family = family(info);
                if (model != null) {
                    return family == null ? model : model + " (family " + family + ")";
                }
            } catch (IOException | RuntimeException unreadable) {
                // fall through: the architecture is still worth saying
            }
        }
        return System.getProperty("os.arch");
    }

    /** "cpu family" of /proc/cpuinfo (e.g. 23 or 26 for AMD EPYC), which separates CPUs of one model name. */
    private static String family(Path info) throws IOException {
        try (Stream<String> lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("cpu family")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(null);
        }
    }
}
