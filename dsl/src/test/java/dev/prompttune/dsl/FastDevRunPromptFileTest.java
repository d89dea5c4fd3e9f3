package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.FastDevRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt trained under the fast-dev-run switch (a few steps: a smoke test) stays marked as one after
 * {@code savePrompt} and {@code loadPrompt}, whether the run's record still holds its prompt (whose metadata is
 * copied) or not (the metadata is built from the spec); a normal run's prompt is not marked.
 */
@ExtendWith(HomeExtension.class)
class FastDevRunPromptFileTest {

    @TempDir
    Path tmp;

    @Test
    void aSmokeTestPromptStaysMarkedThroughItsFile() throws IOException {
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun recorded = underTheSwitch(() -> ex.promptTune(s -> s.model("tiny").data("markers").name("rec")
                    .length(4).init("random").steps(40).batch(8).evalEvery(5).save(tmp.resolve("runs").toString())));
            PromptTuneRun unrecorded = underTheSwitch(() -> ex.promptTune(s -> s.model("tiny").data("markers")
                    .name("norec").length(4).init("random").steps(40).batch(8).evalEvery(5)
                    .save(tmp.resolve("gone").toString())));
            deleteTree(unrecorded.record()); // its prompt file is gone: savePrompt describes the run from its spec
            assertTrue(recorded.spec().fastDevRun(), "recorded run");
            assertTrue(unrecorded.spec().fastDevRun(), "unrecorded run");

            for (PromptTuneRun run : new PromptTuneRun[] {recorded, unrecorded}) {
                Path file = ex.savePrompt(run, tmp.resolve(run.name()).toString());
                assertTrue(ex.loadPrompt(file.toString()).spec().fastDevRun(), run.name() + ": " + file);
            }

            PromptTuneRun normal = ex.promptTune(s -> s.model("tiny").data("markers").name("normal").length(4)
                    .init("random").steps(2).batch(8).evalEvery(1).save(tmp.resolve("runs").toString()));
            Path file = ex.savePrompt(normal, tmp.resolve("normal").toString());
            assertFalse(ex.loadPrompt(file.toString()).spec().fastDevRun());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static PromptTuneRun underTheSwitch(Supplier<PromptTuneRun> run) {
        String before = System.getProperty(FastDevRun.PROPERTY);
        System.setProperty(FastDevRun.PROPERTY, "1");
        try {
            return run.get();
        } finally {
            if (before == null) {
                System.clearProperty(FastDevRun.PROPERTY);
            } else {
                System.setProperty(FastDevRun.PROPERTY, before);
            }
        }
    }
}
