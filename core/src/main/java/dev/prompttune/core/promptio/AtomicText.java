package dev.prompttune.core.promptio;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a small text file atomically: a hidden temp file {@code .NAME.<random>.tmp} in the target's directory,
 * fsync, rename over the target. Readers see the old file or the complete new one; a process killed mid-write
 * leaves at most a hidden temp file that no {@code NAME.*} pattern matches.
 */
public final class AtomicText {

    private AtomicText() {}

    /** Writes {@code text} (UTF-8) to {@code target}; throws {@link PromptTuneException} naming the file on failure. */
    public static void write(Path target, String text) {
        Path absolute = target.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new PromptTuneException(target + ": cannot write (" + e + ")", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the target is untouched either way
                }
            }
        }
    }
}
