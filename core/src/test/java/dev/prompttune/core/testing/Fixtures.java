package dev.prompttune.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the reference fixtures made by Hugging Face's own code live ({@code ../shared/fixtures/t5} from the repo
 * root). A test that cannot find them fails: parity is not optional.
 */
public final class Fixtures {

    private Fixtures() {}

    /** The fixture root, {@code shared/fixtures/t5}. */
    public static Path root() {
        String configured = System.getProperty("prompttune.fixtures");
        Path root = configured != null ? Path.of(configured) : Path.of("../shared/fixtures/t5");
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new AssertionError("fixtures not found at " + root
                    + " (expected the shared/ folder beside the repository; set -Dprompttune.fixtures=DIR)");
        }
        return root;
    }

    /** One fixture directory, e.g. {@code tiny-t5-v1_1} or {@code tiny-t5-v1_1/peft-prompt-nts1}. */
    public static Path dir(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("fixture directory missing: " + dir);
        }
        return dir;
    }
}
