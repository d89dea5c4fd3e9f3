package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work that runs out of Java heap ends with one line naming the heap's size and the settings that give more. Outside
 * a script's own code (loading the engine and model in a heap of 12 MB) it used to end with "Exception in thread
 * "main" java.lang.OutOfMemoryError" and a stack trace; inside it, the line said only "OutOfMemoryError".
 */
class HeapExhaustedTest {

    @TempDir
    Path tmp;

    @Test
    void aRunWithoutHeapEndsInOneLine() throws Exception {
        Path script = Files.writeString(tmp.resolve("tiny.groovy"), "promptTune { model 'tiny'; data 'markers'; length 2; steps 1 }\n");
        Result r = cli("-Xmx12m", script);
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().startsWith("prompttune: the Java heap ran out (at most ") && r.out().contains("PROMPTTUNE_JAVA_OPTS=-Xmx8g")
                && r.out().lines().count() == 1, r.out());
    }

    @Test
    void aScriptThatAllocatesTooMuchSaysHowToGiveItMore() throws Exception {
        Path script = Files.writeString(tmp.resolve("greedy.groovy"), "def all = new long[1_000_000_000]\nprintln all.length\n");
        Result r = cli("-Xmx64m", script);
        assertEquals(2, r.status(), r.out());
        assertTrue(r.out().startsWith(script + ":1: OutOfMemoryError: Java heap space: the Java heap (at most ")
                && r.out().endsWith("ran out; give the script a larger heap (-Xmx: PROMPTTUNE_JAVA_OPTS=-Xmx8g for "
                        + "bin/prompttune, kernel install --jvm-opt -Xmx8g for notebooks)") && r.out().lines().count() == 1, r.out());
    }

    private record Result(int status, String out) {}

    private static Result cli(String heap, Path script) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-Dprompttune.home=" + dev.prompttune.dsl.TestHomes.tiny(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), PromptTuneCli.class.getName(), "run", script.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new Result(p.exitValue(), out);
    }
}
