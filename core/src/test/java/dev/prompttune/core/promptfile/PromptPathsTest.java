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
        assertEquals("prompt file " + a + " is a symbolic link loop", refused(() -> PromptFile.load(a)));
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
}
