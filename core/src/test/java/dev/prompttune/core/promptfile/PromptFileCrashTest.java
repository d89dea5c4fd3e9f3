package dev.prompttune.core.promptfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed while saving leaves either the old or the new prompt, never a broken one. */
class PromptFileCrashTest {

    private static final String NAME = "prompt";
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void aProcessKilledWhileSavingLeavesEitherTheOldOrTheNewFile() throws Exception {
        Random random = new Random(20240611);
        long next = 1;
        int laggingJson = 0;
        int hiddenTemps = 0;
        for (int round = 0; round < KILLS; round++) {
            AtomicLong lastSaved = new AtomicLong(next - 1);
            Process child = start(next);
            Thread reader = new Thread(() -> read(child, lastSaved));
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lastSaved.get() < next && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(lastSaved.get() >= next, "child saved nothing within 60 s (alive " + child.isAlive() + ")");
            Thread.sleep(random.nextInt(300)); // land anywhere in a later save
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            long complete = lastSaved.get();

            PromptFile.Loaded loaded = PromptFile.load(dir.resolve(NAME));
            long version = (long) loaded.values()[0];
            for (float v : loaded.values()) {
                assertEquals(version, v, "every value of one save carries its version");
            }
            assertEquals(version, ((Number) loaded.metadata().hyperParameters().get("version")).longValue(),
                    "the metadata loaded is the one saved with these values");
            assertTrue(version == complete || version == complete + 1,
                    "after the kill the file holds version " + version + "; the last complete save was " + complete);
            long jsonVersion = ((Number) PromptMetadata.fromJson(Files.readString(dir.resolve(NAME + ".json")), "json")
                    .hyperParameters().get("version")).longValue();
            assertTrue(jsonVersion == version || jsonVersion == version - 1, "json " + jsonVersion + ", file " + version);
            laggingJson += jsonVersion != version ? 1 : 0;

            Set<String> visible = new TreeSet<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, NAME + ".*")) {
                files.forEach(f -> visible.add(f.getFileName().toString()));
            }
            assertEquals(Set.of(NAME + ".json", NAME + ".safetensors"), visible, "only the two files match " + NAME + ".*");
            next = version + 1;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path ignored : files) {
                hiddenTemps++; // left by kills mid-write: hidden, never mistaken for the prompt
            }
        }
        System.out.printf("crash test: %d kills, last version %d, json one save behind after %d kills, %d hidden temp files left%n",
                KILLS, next - 1, laggingJson, hiddenTemps);
    }

    private Process start(long firstVersion) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PromptFileSaver.class.getName(), dir.toString(), NAME, Long.toString(firstVersion), "256", "1024"));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static void read(Process child, AtomicLong lastSaved) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("saved ")) {
                    lastSaved.set(Long.parseLong(line.substring(6).trim()));
                } else {
                    System.out.println("child: " + line);
                }
            }
        } catch (IOException ignored) {
            // the child was killed
        }
    }
}
