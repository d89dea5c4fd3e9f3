package dev.prompttune.core.model;

/** PyTorch's intra-op thread count in this process, as DJL was told it (records and benchmarks report it). */
public final class EngineThreads {

    private EngineThreads() {}

    /** {@code -Dai.djl.pytorch.num_threads} when set, else PyTorch's default, one thread per core. */
    public static int intraOp() {
        String configured = System.getProperty("ai.djl.pytorch.num_threads");
        return configured != null ? Integer.parseInt(configured.trim()) : Runtime.getRuntime().availableProcessors();
    }
}
