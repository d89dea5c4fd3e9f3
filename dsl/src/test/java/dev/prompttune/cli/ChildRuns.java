package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the tests of a real {@code prompttune run} in a child JVM share when they stop, cut off or resume it: the long
 * run on the tiny model, its records, and resuming one in this JVM with the tiny home.
 */
final class ChildRuns {

    /** A run long enough to be stopped by hand: 100,000 steps, an evaluation (and a checkpoint) every 5. */
    static final String LONG_RUN = "promptTune { model 'tiny'; data 'markers'; length 4; steps 100000; batch 8; evalEvery 5 }";

    private ChildRuns() {}

    /**
     * {@code prompttune run --threads 1} of {@code block} (its records saved under {@code runs}) in a child JVM started
     * through {@code prefix}; the script is written into {@code dir}, named after {@code runs}.
     */
    static CliProcess start(List<String> prefix, Path home, Path dir, Path runs, String block) throws IOException {
        String script = block.replaceFirst("\\}\\s*$", "; save '" + runs + "' }\n");
        Path file = Files.writeString(dir.resolve("script-" + runs.getFileName() + ".groovy"), script);
        return CliProcess.start(prefix, home, "run", "--threads", "1", file.toString());
    }

    /** The record folders under {@code runs}, sorted. */
    static List<Path> records(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The one record under {@code runs}. */
    static Path onlyRecord(Path runs) throws IOException {
        List<Path> records = records(runs);
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    /** Interrupts the run at its first step: a resumed run stops after one step instead of training on. */
    static TrainingListener stopAtOnce() {
        return new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * Runs {@code body} with {@code prompttune.home} set to {@code home}; afterwards the property is as it was and no
     * interrupt left by {@link #stopAtOnce} reaches the next test.
     */
    static void withHome(Path home, ThrowingRunnable body) throws Exception {
        String previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", home.toString());
        try {
            body.run();
        } finally {
            Thread.interrupted();
            if (previous == null) {
                System.clearProperty("prompttune.home");
            } else {
                System.setProperty("prompttune.home", previous);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
