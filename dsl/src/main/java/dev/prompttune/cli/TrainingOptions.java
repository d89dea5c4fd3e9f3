package dev.prompttune.cli;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.EngineSetup;
import dev.prompttune.core.model.EngineThreads;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.ConsoleProgress;
import dev.prompttune.dsl.Experiments;
import picocli.CommandLine.Option;

/** The options of the commands that train or score ({@code run}, {@code resume}, {@code eval}): progress bar and PyTorch threads. */
final class TrainingOptions {

    @Option(names = {"-q", "--quiet"}, description = "no progress bar (the result table is still printed)")
    boolean quiet;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch threads (default: -Dai.djl.pytorch.num_threads when given, else one per core, as in the kernel and bench; measured on 2 idle cores, the "
                    + "quickstart takes 1 to 3 minutes with 2, depending on the CPU (README). On a machine shared "
                    + "with another busy process pass fewer: PyTorch slows down several-fold when its threads compete for the cores. The thread count "
                    + "can change the last bits of results; a resumed run needs the count it started with)")
    String threads; // parsed here, not by picocli, so that '99999999999' and 'two' get the allowed range too

    /** Sets the engine's threads and returns experiments in the shared session, with a progress bar unless quiet. */
    Experiments experiments() {
        // --threads, else -Dai.djl.pytorch.num_threads (the JVM option DJL documents), else one per core.
        EngineSetup.threads(threads != null ? parsedThreads() : EngineThreads.intraOp());
        Experiments experiments = new Experiments(Session.shared());
        if (!quiet) {
            experiments.listener(new ConsoleProgress(System.out));
        }
        return experiments;
    }

    private int parsedThreads() {
        try {
            return Integer.parseInt(threads.strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException("--threads is '" + threads + "'; allowed: a whole number from 1 to "
                    + EngineThreads.MAX + " (this machine has " + Runtime.getRuntime().availableProcessors() + " cores)");
        }
    }
}
