package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model that cannot be found: a download is suggested only for what looks like a hub id. */
class ModelResolverTest {

    private static String fails(String model) {
        return assertThrows(PromptTuneException.class, () -> ModelResolver.resolve(model)).getMessage();
    }

    private static String allowed() {
        return "; allowed: a registered name " + ModelResolver.registered() + ", a Hugging Face model directory, or a hub"
                + " id (owner/name) in the local Hugging Face cache";
    }

    @Test
    void aMissingPathSaysItDoesNotExist(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nonexistent");
        assertEquals("model directory " + missing + " does not exist" + allowed(), fails(missing.toString()));
        assertEquals("model directory ../x/y does not exist" + allowed(), fails("../x/y"));
        Path file = Files.writeString(dir.resolve("model.bin"), "x");
        assertEquals("model directory " + file + " is a file, not a folder" + allowed(), fails(file.toString()));
    }

    @Test
    void aNameThatIsNoHubIdGetsNoDownloadHint() {
        assertEquals("model '1' is not a registered name, and no directory 1 exists" + allowed(), fails("1"));
    }

    @Test
    void hubIdsGetTheDownloadHint() {
        assertTrue(fails("someone/t5-thing").contains("`huggingface-cli download someone/t5-thing`"));
        assertTrue(fails("t5-small").contains("`huggingface-cli download google-t5/t5-small`"));
    }
}
