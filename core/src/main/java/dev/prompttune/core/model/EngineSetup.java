package dev.prompttune.core.model;

/**
 * Settings that must be in place before DJL's engine starts: offline (the natives come from Maven Central, never
 * from DJL's download server), a usable home for DJL's cache of unpacked natives ({@link UserHome}) and PyTorch's
 * thread count.
 */
public final class EngineSetup {

    private EngineSetup() {}

    public static void configure() {
        UserHome.settle();
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("ai.djl.pytorch.graph_optimizer", System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
    }

    /**
     * Sets PyTorch's intra-op and inter-op threads; only effective before the engine first starts.
     *
     * @param threads 1 to {@link EngineThreads#MAX}: PyTorch refuses 0 or fewer with a native exception, and a
     *     count in the tens of thousands makes the engine's start take minutes
     */
    public static void threads(int threads) {
        EngineThreads.check(threads, "--threads");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(Math.max(1, threads)));
    }
}
