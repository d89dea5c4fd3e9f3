package dev.prompttune.core.promptfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.prompt.FileInit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt file or adapter folder that is not what it should be is named for what it is (a symbolic link loop, a file
 * where a folder belongs), never "does not exist" or "has no adapter_config.json" when something stands there.
 */
class PromptPathsTest {

    @TempDir
    Path dir;

    private static String refused(org.junit.jupiter.api.function.Executable read) {
        return assertThrows(PromptTuneException.class, read).getMessage();
    }

    @Test
    void aSymbolicLinkLoopIsNamedSo() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertEquals("prompt file " + a + " is a symbolic link loop; allowed: a safetensors file",
                refused(() -> PromptFile.load(a)));
        assertEquals("init file: " + a + " is a symbolic link loop",
                refused(() -> new FileInit(a).load(PromptCheck.Target.widthOnly("tiny", 32))));

        Path x = dir.resolve("adapter-x");
        Path y = dir.resolve("adapter-y");
        Files.createSymbolicLink(x, y);
        Files.createSymbolicLink(y, x);
        assertEquals("PEFT adapter " + x + " is a symbolic link loop; allowed: a folder holding adapter_config.json "
                + "and adapter_model.safetensors", refused(() -> PeftAdapter.importFrom(x)));
    }

    @Test
    void anAdapterThatIsAFileOrMissingIsNamedSo() throws Exception {
        Path file = Files.writeString(dir.resolve("adapter.json"), "{}");
        assertEquals("PEFT adapter " + file + " is a file, not a folder; allowed: a folder holding adapter_config.json "
                + "and adapter_model.safetensors", refused(() -> PeftAdapter.importFrom(file)));
        Path missing = dir.resolve("no-adapter");
        assertEquals("PEFT adapter " + missing + " does not exist", refused(() -> PeftAdapter.importFrom(missing)));
        Path empty = Files.createDirectory(dir.resolve("empty-adapter"));
        assertEquals("PEFT adapter " + empty + ": no adapter_config.json", refused(() -> PeftAdapter.importFrom(empty)));
    }

    /**
     * A folder where the prompt file should be is said once (a record whose prompt.safetensors is a folder got "is a
     * directory (… is a directory; give DIR/NAME)"); a folder given for DIR/NAME still gets the hint.
     */
    @Test
    void aFolderInThePromptFilesPlaceIsSaidOnce() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("record/prompt.safetensors"));
        assertEquals("prompt file " + folder + " is a directory; allowed: a safetensors file", refused(() -> PromptFile.load(folder)));
        Path given = Files.createDirectories(dir.resolve("prompts"));
        assertEquals("prompt file " + given + ".safetensors does not exist (" + given + " is a directory; give DIR/NAME)",
                refused(() -> PromptFile.load(given)));
    }
}
