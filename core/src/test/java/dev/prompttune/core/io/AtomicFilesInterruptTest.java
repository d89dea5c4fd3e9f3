package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save requested by an interrupted thread (stop pressed in a notebook) must still land, and keep the interrupt. */
class AtomicFilesInterruptTest {

    @Test
    void writesWhileTheThreadIsInterruptedAndRestoresTheFlag(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("prompt.bin");
        byte[] bytes = new byte[1 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Thread.currentThread().interrupt();
        try {
            AtomicFiles.write(target, bytes);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt must still be pending after the write");
        }
        assertArrayEquals(bytes, Files.readAllBytes(target));
    }

    /**
     * An interrupt that arrives while the file is being written (a signal right after an evaluation, while its checkpoint
     * is saved) closes the channel; the write starts over and lands, and the interrupt stays pending.
     */
    @Test
    void anInterruptArrivingMidWriteStillWritesTheFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("checkpoint.bin");
        byte[] bytes = new byte[1 << 16];
        java.util.Arrays.fill(bytes, (byte) 7);
        int[] attempts = new int[1];
        try {
            AtomicFiles.write(target, channel -> {
                if (attempts[0]++ == 0) {
                    Thread.currentThread().interrupt(); // as a signal handler's worker.interrupt() would, mid-write
                }
                AtomicFiles.writeFully(channel, java.nio.ByteBuffer.wrap(bytes));
            });
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt must still be pending after the write");
        }
        assertTrue(attempts[0] == 2, "written again after the interrupt: " + attempts[0] + " attempts");
        assertArrayEquals(bytes, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertTrue(files.count() == 1, "no temp file left");
        }
    }
}
