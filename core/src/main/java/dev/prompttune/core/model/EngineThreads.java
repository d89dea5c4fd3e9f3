package dev.prompttune.core.model;

import dev.prompttune.core.PromptTuneException;

/** PyTorch's intra-op thread count in this process, as DJL was told it (records and benchmarks report it). */
public final class EngineThreads {

    private EngineThreads() {}

    /**
     * The most threads prompttune asks PyTorch for. Far above any machine it runs on; a count in the tens of
     * thousands (a typo) makes PyTorch's thread pool take minutes to start (measured: 1,000 threads 18 s, 100,000
     * not started in 3 minutes).
     */
    public static final int MAX = 1024;

    /** {@code -Dai.djl.pytorch.num_threads} when set, else PyTorch's default, one thread per core. */
    public static int intraOp() {
        String configured = System.getProperty("ai.djl.pytorch.num_threads");
        if (configured == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        int threads;
        try {
            threads = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            throw new PromptTuneException("-Dai.djl.pytorch.num_threads is '" + configured + "'; allowed: a whole number"
                    + " from 1 to " + MAX);
        }
        return check(threads, "-Dai.djl.pytorch.num_threads");
    }

    /** {@code threads} if it is 1 to {@link #MAX}; else an error naming {@code option}. */
    public static int check(int threads, String option) {
        if (threads < 1 || threads > MAX) {
            throw new PromptTuneException(option + " is " + threads + "; allowed: 1 to " + MAX + " (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        return threads;
    }
}
