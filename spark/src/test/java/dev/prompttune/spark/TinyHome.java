package dev.prompttune.spark;

import dev.prompttune.core.testing.TinyWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points {@code prompttune.home} at a fresh home with the tiny model and the marker task for one test class (the
 * DSL's names 'tiny' and 'markers'), then restores it and stops the Spark context the class made.
 */
final class TinyHome implements BeforeAllCallback, AfterAllCallback {

    private static final String KEY = "prompttune.home";
    private String previous;
    private Path home;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        previous = System.getProperty(KEY);
        home = Files.createTempDirectory("prompttune-spark-home");
        System.setProperty(KEY, TinyWorld.home(home).toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (previous == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, previous);
        }
        SparkContexts.stop();
        try (java.util.stream.Stream<Path> files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
