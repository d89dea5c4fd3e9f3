package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A path that should be a file says what it is instead: never "does not exist" for a directory or a link loop. */
class PathProblemsTest {

    @TempDir
    Path dir;

    @Test
    void saysWhatThePathIs() throws IOException {
        Path file = Files.writeString(dir.resolve("f.jsonl"), "{}");
        assertNull(PathProblems.notRegularFile(file));
        assertEquals("is a directory", PathProblems.notRegularFile(dir));
        assertEquals("does not exist", PathProblems.notRegularFile(dir.resolve("missing")));
        assertEquals("does not exist (" + file + " is a file, not a folder)",
                PathProblems.notRegularFile(file.resolve("x")));
        Path loop = Files.createSymbolicLink(dir.resolve("loop1"), dir.resolve("loop1"));
        assertEquals("is a symbolic link loop", PathProblems.notRegularFile(loop));
        Path broken = Files.createSymbolicLink(dir.resolve("broken"), dir.resolve("gone"));
        assertEquals("is a broken symbolic link (its target does not exist)", PathProblems.notRegularFile(broken));
        assertEquals("is not a regular file (a device, pipe or socket)", PathProblems.notRegularFile(Path.of("/dev/null")));
        assertEquals("is a file, not a folder", PathProblems.notDirectory(file));
    }

    @Test
    void requireFileNamesTheThing() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> PathProblems.requireFile(dir, "data file"));
        assertEquals("data file " + dir + " is a directory; allowed: a file", e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> PathProblems.requireFile(dir.resolve("s.groovy"), "script"));
        assertEquals("script " + dir.resolve("s.groovy") + " does not exist", e.getMessage());
    }

    /** A name longer than the file system allows is found before writing ("File name too long" came at run time). */
    @Test
    void aNameTooLongIsFoundBeforeWriting(@TempDir Path dir) {
        String long300 = "a".repeat(300);
        assertEquals("the name " + "a".repeat(20) + "… in it is 300 bytes long (at most 255 per name)",
                PathProblems.cannotCreate(dir.resolve(long300).resolve("runs")));
        assertEquals("the name " + "é".repeat(20) + "… in it is 260 bytes long (at most 255 per name)",
                PathProblems.cannotCreate(dir.resolve("é".repeat(130))), "bytes, not characters");
        assertNull(PathProblems.cannotCreate(dir.resolve("a".repeat(255))));
    }
}
