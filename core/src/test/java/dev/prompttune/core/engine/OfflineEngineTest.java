package dev.prompttune.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL must run with nothing in its cache and no network: the PyTorch natives come from the Maven Central jar on
 * the class path. A child JVM gets empty DJL and engine cache directories and the offline switch; it must start
 * PyTorch, compute, and leave the natives it extracted (from the jar, not a download) in the fresh cache.
 */
class OfflineEngineTest {

    @TempDir
    Path cache;

    @Test
    void pytorchStartsFromAnEmptyCacheOffline() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(),
                "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + cache.resolve("djl"),
                "-DENGINE_CACHE_DIR=" + cache.resolve("engine"),
                "-cp", System.getProperty("java.class.path"),
                OfflineProbe.class.getName()));
        // DJL reads these from the environment before system properties: the child must see only ours.
        pb.environment().remove("DJL_CACHE_DIR");
        pb.environment().remove("ENGINE_CACHE_DIR");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("engine=PyTorch 2.7.1 sum=54.0"), out);
        assertTrue(!out.contains("Downloading"), "nothing may be downloaded: " + out);
        try (Stream<Path> files = Files.walk(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("libtorch_cpu.so")),
                    "natives should have been extracted into the fresh cache");
        }
    }
}
