package dev.prompttune.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code prompttune-tools}: every tool is a subcommand, and the top-level help lists them all. */
class ToolsCliTest {

    @Test
    void everyToolIsListedAndBenchHasItsOwnHelp() {
        String top = run("--help");
        for (String c : List.of("bench", "corpus", "tokenizer", "pretrain", "probe", "memory-trace", "channel-check")) {
            assertTrue(top.contains(c), c + " missing from: " + top);
        }
        String bench = run("bench", "--help");
        assertTrue(bench.startsWith("Usage: prompttune-tools bench"), bench);
        assertTrue(bench.contains("--mode"), bench);
    }

    /** A bad value is one line naming it and what is allowed, exit status 2, no stack trace. */
    @Test
    void aUserErrorIsOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ToolsCli());
        PrintWriter errWriter = new PrintWriter(err);
        int status = ToolsCli.execute(cli, errWriter, "channel-check", "--task", "foo", "--steps", "1");
        errWriter.flush();
        assertEquals(2, status);
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("task 'foo'") && text.contains("allowed: detect, copy"), text);
    }

    /**
     * Tools that take their arguments as text (tokenizer, memory-trace) answer a missing file, a number that is none
     * and an unknown setting with one line naming it, exit 2: they printed Java stack traces, exit 1.
     */
    @Test
    void badArgumentsOfThePassThroughToolsAreOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("no-corpus.txt");
        assertOneLine(List.of(missing + " does not exist"), "tokenizer", missing.toString(), dir.resolve("out").toString());
        assertOneLine(List.of("VOCAB_SIZE is 'abc'; allowed: a whole number"),
                "tokenizer", missing.toString(), dir.resolve("out").toString(), "abc");
        assertOneLine(List.of("memory-trace steps is 'x'; allowed: a whole number"), "memory-trace", "steps=x");
        assertOneLine(List.of("memory-trace: unknown setting 'stpes'", "allowed: steps, evalEvery"),
                "memory-trace", "stpes=3");
    }

    private static void assertOneLine(List<String> parts, String... args) {
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err);
        int status = ToolsCli.execute(new CommandLine(new ToolsCli()), errWriter, args);
        errWriter.flush();
        String text = err.toString().strip();
        assertEquals(2, status, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("prompttune-tools: "), text);
        for (String part : parts) {
            assertTrue(text.contains(part), "'" + part + "' not in: " + text);
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ToolsCli());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }
}
