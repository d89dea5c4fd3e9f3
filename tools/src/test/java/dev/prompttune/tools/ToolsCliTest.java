package dev.prompttune.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.tools.pretrain.PretrainOptions;
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

    /**
     * Values that were accepted and failed later with a stack trace (NaN learning rate, negative steps, an unknown weight
     * type found at save time after a whole phase), or were taken silently (--save yes as false, --phases bogus as
     * nothing to do, thread=maybe as false, an empty corpus as a measurement of 0), are one line naming the option.
     */
    @Test
    void badValuesOfTheBuildToolsAreNamedBeforeAnyWork(@TempDir Path dir) throws Exception {
        // pretrain ends its process itself (ProcessExit, past libtorch's destructors): its options are read here.
        for (List<String> bad : List.of(
                List.of("--span-lr", "NaN", "--span-lr is 'NaN'; allowed: a finite number >= 0"),
                List.of("--span-steps", "-5", "--span-steps is '-5'; allowed: a whole number >= 1"),
                // 0 steps named a setting the user never gave ("warmupSteps = -1"), after the corpus was read.
                List.of("--span-steps", "0", "--span-steps is '0'; allowed: a whole number >= 1"),
                List.of("--lm-steps", "0", "--lm-steps is '0'; allowed: a whole number >= 1"),
                List.of("--mix-steps", "0", "--mix-steps is '0'; allowed: a whole number >= 1"),
                List.of("--batch", "2147483647", "--span-steps 4500 × --batch 2147483647 = 9663676411500 examples; allowed: "
                        + "at most 2147483647 examples a phase (steps × batch)"),
                List.of("--dtype", "bogus", "--dtype 'bogus' is not known; allowed: F32, BF16"),
                List.of("--save", "yes", "--save is 'yes'; allowed: true or false"),
                List.of("--phases", "bogus", "--phases 'bogus': 'bogus' is not a phase; allowed: a comma list of span, lm, mix"),
                List.of("--seed", "abc", "--seed is 'abc'; allowed: a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE))) {
            PromptTuneException e = org.junit.jupiter.api.Assertions.assertThrows(PromptTuneException.class,
                    () -> PretrainOptions.parse(new String[] {bad.get(0), bad.get(1)}));
            assertEquals(bad.get(2), e.getMessage());
        }
        assertOneLine(List.of("--steps is -1; allowed: at least 2"), "channel-check", "--steps", "-1");
        assertOneLine(List.of("memory-trace every is '0'; allowed: a whole number >= 1"), "memory-trace", "every=0");
        assertOneLine(List.of("memory-trace thread is 'maybe'; allowed: true or false"), "memory-trace", "thread=maybe");
        Path empty = java.nio.file.Files.writeString(dir.resolve("empty.txt"), "");
        assertOneLine(List.of("corpus " + empty + " has no words"), "tokenizer", empty.toString(), dir.resolve("tok").toString());
        assertOneLine(List.of("corpus " + dir + " is a directory"), "tokenizer", dir.toString(), dir.resolve("tok").toString());
        assertOneLine(List.of("VOCAB_SIZE is '0'; allowed: a whole number >= 403"), "tokenizer", empty.toString(),
                dir.resolve("tok").toString(), "0");
        assertOneLine(List.of("EXTRA_IDS is '-1'; allowed: a whole number >= 0"), "tokenizer", empty.toString(),
                dir.resolve("tok").toString(), "8000", "-1");
        // An output that cannot be written is refused before the work that would fill it (it failed at the end).
        Path words = java.nio.file.Files.writeString(dir.resolve("words.txt"), "the monkey was old\n");
        assertOneLine(List.of("OUT_DIR " + words + " is a file; allowed: a folder this user can create and write"),
                "tokenizer", words.toString(), words.toString(), "500");
        if (java.nio.file.Files.isDirectory(Path.of("/proc/self"))) {
            assertOneLine(List.of("OUT_DIR /proc/x cannot be created: /proc does not take new folders"),
                    "tokenizer", words.toString(), "/proc/x", "500");
            assertOneLine(List.of("--out /proc/x cannot be created: /proc does not take new folders"),
                    "corpus", "--brown", "b", "--spam", "s", "--fortunes", "f", "--out", "/proc/x");
        }
        assertOneLine(List.of("--out " + words.resolve("data") + " cannot be created: " + words + " is a file, not a folder"),
                "corpus", "--brown", "b", "--spam", "s", "--fortunes", "f", "--out", words.resolve("data").toString());
        assertOneLine(List.of("unknown option --bogus"), "probe", "--bogus");
        assertOneLine(List.of("bench --mode score compares scoring on clusters and needs at least one --cluster"),
                "bench", "--mode", "score");
    }

    /** Each pass-through tool answers --help with its usage, exit 0 (they read --help as a value or a model folder). */
    @Test
    void everyToolAnswersHelp() {
        for (String tool : List.of("corpus", "tokenizer", "pretrain", "probe", "memory-trace", "channel-check")) {
            String help = run(tool, "--help");
            assertTrue(help.startsWith("Usage: prompttune-tools " + tool), help);
        }
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
