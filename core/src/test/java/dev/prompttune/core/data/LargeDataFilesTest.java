package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.ChildInputReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file too large to read is refused in one line saying how large it is and what to do, not with a stack trace
 * (OutOfMemoryError): past the 2 GiB a Java array holds, and past the Java heap.
 */
class LargeDataFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanAnArrayHoldsIsRefusedWithItsSize() throws IOException {
        Path big = dir.resolve("train.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(2_200L << 20); // sparse: no disk is used
        }
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> ExampleReader.read(big));
        assertEquals(big + " is 2,200 MiB: too large to read (at most 2,047 MiB in one file); allowed: a smaller file, "
                + "e.g. a random sample of its lines (shuf -n 100000)", e.getMessage());
    }

    @Test
    void aFileLargerThanTheHeapIsRefusedWithTheHeapSizeAndHowToRaiseIt() throws Exception {
        Path big = dir.resolve("train.jsonl");
        try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            String line = "{\"text\": \"" + "word ".repeat(200) + "\", \"label\": \"a\"}\n";
            for (long written = 0; written < 80L << 20; written += line.length()) {
                w.write(line);
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-cp", System.getProperty("java.class.path"), ChildInputReader.class.getName(), "examples", big.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith(big + " (80 MiB) does not fit in the Java heap (at most ") && out.endsWith("; allowed: a "
                + "smaller file, or a larger heap (-Xmx: PROMPTTUNE_JAVA_OPTS=-Xmx8g for bin/prompttune, kernel install "
                + "--jvm-opt -Xmx8g for notebooks)") && out.lines().count() == 1, out);
    }
}
