package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aDirWithNoRunRecordsIsSaidToHoldNone(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("etc"));
        Files.createDirectories(empty.resolve("not-a-record"));
        NotebookRuns.get().saved(tmp.resolve("kept.safetensors")); // a row of this notebook's, shown whatever the folder
        String text = PromptsMagic.run(List.of("--dir", empty.toString())).toString();
        assertTrue(text.contains("kept"), text);
        assertTrue(text.strip().endsWith("(--dir " + empty + " holds no run records (folders with a summary.json); "
                + "the rows above are this notebook's)"), text);
        assertEquals(1, text.lines().filter(l -> l.contains("holds no run records")).count(), text);
        String html = ((dev.prompttune.kernel.RichOutput) PromptsMagic.run(List.of("--dir", empty.toString()))).data()
                .get("text/html");
        assertTrue(html.contains("holds no run records"), html);
    }
}
