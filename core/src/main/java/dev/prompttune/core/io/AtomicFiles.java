package dev.prompttune.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Write-then-rename: readers see either the old file or the complete new one, never a half-written file, even
 * if the process dies mid-write (a crash during training must not destroy the last good checkpoint).
 * <p>
 * A pending thread interrupt is held back while writing: FileChannel is an interruptible channel, so a thread
 * whose interrupt flag is set (a notebook's stop button pressed during training) would otherwise fail with
 * ClosedByInterruptException exactly when it saves the best prompt. The flag is restored afterwards.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Fills a channel; may throw anything, the temp file is removed and the target left untouched. */
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    public static void write(Path target, Body body) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            writeUninterrupted(target, body);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    private static void writeUninterrupted(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Same directory: a rename within one file system is atomic; a temp dir elsewhere might not be.
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                body.write(channel);
                channel.force(true); // data on disk before the rename makes it visible
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** FileChannel.write may write less than asked: loop until the buffer is drained. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Makes the rename itself durable; best effort (not every OS lets a directory be opened). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the file is complete either way; only durability across a power cut is weaker
        }
    }
}
