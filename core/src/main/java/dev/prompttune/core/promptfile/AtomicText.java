package dev.prompttune.core.promptfile;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a small text file atomically through {@link AtomicFiles}: a hidden temp file in the target's directory,
 * fsync, rename over the target. Readers see the old file or the complete new one; a process killed mid-write
 * leaves at most a hidden temp file that no {@code NAME.*} pattern matches, removed by the next write there.
 */
public final class AtomicText {

    private AtomicText() {}

    /** Writes {@code text} (UTF-8) to {@code target}; throws {@link PromptTuneException} naming the file on failure. */
    public static void write(Path target, String text) {
        try {
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptTuneException(target + ": cannot write: " + PathProblems.describe(target, e), e);
        }
    }
}
