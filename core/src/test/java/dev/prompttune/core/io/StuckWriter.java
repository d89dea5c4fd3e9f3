package dev.prompttune.core.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Child-process body for tests of writes cut short: starts {@code AtomicFiles.write(TARGET)}, writes a few bytes,
 * prints "writing" and then hangs inside the write until the process is killed. Args: TARGET.
 */
public final class StuckWriter {

    private StuckWriter() {}

    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(new byte[] {'{', '"'}));
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
