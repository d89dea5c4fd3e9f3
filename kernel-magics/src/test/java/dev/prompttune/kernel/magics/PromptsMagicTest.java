package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code %prompts --dir DIR} names a folder that is not there, rather than listing nothing from it. */
class PromptsMagicTest {

    @Test
    void aDirThatIsNoFolderIsNamed(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nonexist");
        MagicError e = assertThrows(MagicError.class, () -> PromptsMagic.run(List.of("--dir", missing.toString())));
        assertEquals("%prompts: --dir " + missing + " does not exist; allowed: a folder of run records", e.getMessage());
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        e = assertThrows(MagicError.class, () -> PromptsMagic.run(List.of("--dir", file.toString())));
        assertEquals("%prompts: --dir " + file + " is a file, not a folder; allowed: a folder of run records", e.getMessage());
    }
}
