package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name and save settings: what would make a bad record folder is refused when set. */
class PromptTuneSpecTest {

    private static final String ALLOWED = "; allowed: up to 200 characters, without / or \\, not starting with a dot"
            + " (it names the run's record folder)";

    private static String nameFails(String name) {
        return assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().name(name)).getMessage();
    }

    @Test
    void namesThatWouldLeaveTheSaveFolderOrBeTooLongAreRefused() {
        assertEquals("name '../../x' contains a path separator" + ALLOWED, nameFails("../../x"));
        assertEquals("name 'a\\b' contains a path separator" + ALLOWED, nameFails("a\\b"));
        assertEquals("name '.hidden' starts with a dot" + ALLOWED, nameFails(".hidden"));
        assertEquals("name is empty" + ALLOWED, nameFails(" "));
        assertEquals("name is 201 characters long ('xxxxxxxxxxxxxxxxxxxx...')" + ALLOWED, nameFails("x".repeat(201)));
        PromptTuneSpec.builder().name("x".repeat(200)).name("my run.v2").name(null);
    }

    @Test
    void saveMustBeAFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("base.groovy"), "x");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().save(file));
        assertEquals("save " + file + " is a file, not a folder; allowed: a folder for run records (new or existing)",
                e.getMessage());
        PromptTuneSpec.builder().save(dir).save(dir.resolve("new"));
    }
}
