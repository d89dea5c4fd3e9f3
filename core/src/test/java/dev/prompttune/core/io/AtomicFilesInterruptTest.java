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
}
