package dev.prompttune.core.run;

import com.google.gson.JsonObject;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.model.CpuModel;
import dev.prompttune.core.model.EngineThreads;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a run ran, for its record: the last digits of a result depend on the PyTorch thread count and the CPU
 * (float sums in another order), so a record says both, and a reader comparing two runs' digits can tell whether
 * they may differ for that reason alone.
 */
final class RunEnvironment {

    private RunEnvironment() {}

    /** {@code pytorch_threads}, {@code cpu} ({@link CpuModel}), {@code cores}, {@code java}. */
    static Map<String, Object> current() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pytorch_threads", EngineThreads.intraOp());
        m.put("cpu", CpuModel.current());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    /**
     * A warning when the run recorded in {@code recordDir} (its summary, or its checkpoint) trained with another
     * PyTorch thread count than this process has: resumed so, it ends near the uninterrupted run but not bit for bit.
     * Empty when the counts agree, or when neither the summary nor the checkpoint says one.
     */
    static Optional<String> threadsChange(Path recordDir) {
        int now = EngineThreads.intraOp();
        OptionalInt recorded = recordedThreads(recordDir);
        if (recorded.isEmpty() || recorded.getAsInt() == now) {
            return Optional.empty();
        }
        int then = recorded.getAsInt();
        return Optional.of(recordDir + " trained with " + then + " PyTorch thread" + (then == 1 ? "" : "s")
                + " and resumes with " + now + ": the result will differ from the uninterrupted run's in the last digits "
                + "(resume with --threads " + then + " for the same bits)");
    }

    /** The thread count the summary says, else the checkpoint (a run killed outright has no summary). */
    private static OptionalInt recordedThreads(Path recordDir) {
        try {
            JsonObject env = JsonFiles.readObject(recordDir.resolve("summary.json")).getAsJsonObject("environment");
            return OptionalInt.of(env.get("pytorch_threads").getAsInt());
        } catch (RuntimeException noSummary) {
            return RunCheckpoint.threads(recordDir); // or one written before records said where they ran
        }
    }
}
