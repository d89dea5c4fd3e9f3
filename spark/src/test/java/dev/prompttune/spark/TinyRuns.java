package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The tiny experiment the Spark tests run (core's TinyWorld model and marker task), a few steps long. */
final class TinyRuns {

    final Path dir;
    final Path model;
    final Path train;
    final Path dev;

    TinyRuns(Path dir) throws IOException {
        this.dir = dir;
        this.model = TinyWorld.model(Files.createDirectories(dir.resolve("model")));
        this.train = TinyWorld.split(dir.resolve("train.jsonl"), 64, 1);
        this.dev = TinyWorld.split(dir.resolve("dev.jsonl"), 16, 2);
    }

    /** 4 steps of batch 4, dropout on, dev every 2 steps (the best prompt is chosen), no baselines. */
    PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().model(model.toString()).train(train).dev(dev).template("classify: {text}")
                .labels(Map.of("a", "good", "b", "never")).length(4).init("random").lr(0.3).steps(4).batch(4)
                .evalEvery(2).dropout(0.1).seed(7).baselines().save(dir.resolve("runs"));
    }

    /** Bit-for-bit equality of two float arrays (NaN payloads and the sign of zero included). */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
        }
    }
}
