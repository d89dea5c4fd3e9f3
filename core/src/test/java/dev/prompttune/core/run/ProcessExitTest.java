package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.io.AtomicFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessExit#now} in a child JVM whose other threads are busy: one inside libtorch (matrix products in a
 * loop), one in the middle of an atomic write. The process ends with the given status, what it printed is flushed,
 * and the temp file of the write cut short is gone. (The crash it avoids, exit() running libtorch's destructors under
 * a thread inside libtorch, is a race: this test checks the exit's contract, it cannot make the race happen.)
 */
class ProcessExitTest {

    @TempDir
    Path tmp;

    @Test
    void endsWithItsStatusFlushedAndWithoutTempFiles() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Busy.class.getName(), tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(7, p.exitValue(), out);
        assertTrue(out.contains("exiting now"), "printed before the exit, flushed: " + out);
        assertFalse(out.contains("fatal error"), out);
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> left = files.map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of(), left, "the temp file of the write cut short is removed, the target never written");
        }
    }

    /** The child: a thread in libtorch, a thread mid-write, then {@code ProcessExit.now(7)}. */
    public static final class Busy {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Thread torch = new Thread(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(256, 256));
                    while (true) {
                        try (NDManager step = m.newSubManager()) {
                            a.matMul(a).tanh().sum().getFloat();
                        }
                    }
                }
            }, "torch");
            torch.setDaemon(true);
            torch.start();
            CountDownLatch writing = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                try {
                    AtomicFiles.write(dir.resolve("target.bin"), ch -> {
                        ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                        writing.countDown();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
            writing.await();
            Thread.sleep(300); // the torch thread is well into its loop
            System.out.print("exiting now");
            ProcessExit.now(7);
        }
    }
}
