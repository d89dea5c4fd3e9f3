package dev.prompttune.dsl;

import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points {@code prompttune.home} at a temporary home with the tiny model ({@code models/tiny}) and the marker task
 * ({@code data/tasks/markers}) for one test class, then restores it. The home is made once per JVM.
 */
final class HomeExtension implements BeforeAllCallback, AfterAllCallback {

    private static Path home;
    private String previous;

    static synchronized Path home() throws Exception {
        if (home == null) {
            Path dir = Files.createTempDirectory("prompttune-dsl-home");
            dir.toFile().deleteOnExit();
            home = TinyWorld.home(dir);
        }
        return home;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", home().toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (previous == null) {
            System.clearProperty("prompttune.home");
        } else {
            System.setProperty("prompttune.home", previous);
        }
    }
}
