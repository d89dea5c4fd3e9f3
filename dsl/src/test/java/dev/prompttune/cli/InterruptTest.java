package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.run.Interrupts;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.dsl.Evaluation;
import dev.prompttune.dsl.Experiments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM sent to a real {@code prompttune run} process (the CLI's main in a child JVM, on the tiny model
 * and the marker task) after its first evaluation: the run stops at the next step, its whole record is written and
 * marked interrupted, the table says so, and the exit status is 128 + the signal's number.
 */
class InterruptTest {

    private static final Set<String> RECORD_FILES = Set.of("metrics.jsonl", "predictions.jsonl", "prompt.json",
            "prompt.safetensors", "spec.json", "summary.json");
    /** An interrupted run keeps its checkpoint: it can be resumed. */
    private static final Set<String> INTERRUPTED_RECORD_FILES = plus(RECORD_FILES, "checkpoint.safetensors");

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void home() throws Exception {
        home = dev.prompttune.dsl.TestHomes.tiny();
    }

    @Test
    void ctrlCAfterTheFirstEvaluationKeepsTheWholeRecordWhosePromptScoresTheLoggedDevValue() throws Exception {
        Path runs = tmp.resolve("ctrl-c");
        CliProcess child = longRunSignalledAt(runs, 5, "INT");
        assertEquals(130, child.exit(), child.toString());
        assertTrue(child.out().contains("INTERRUPTED after"), child.toString());
        assertTrue(child.err().contains("interrupted by SIGINT") && child.err().contains("exit 130"), child.toString());

        Path record = ChildRuns.onlyRecord(runs);
        assertEquals(INTERRUPTED_RECORD_FILES, files(record), "the whole record and nothing else (no temp file)");
        assertEquals("INTERRUPTED", summary(record).get("stop_reason").getAsString());
        PromptTuneRun run = RunRecord.load(record);
        double loggedBest = run.evals().stream().mapToDouble(TrainingListener.EvalEvent::value).max().orElseThrow();
        assertEquals(loggedBest, run.dev(), 0.0, "the summary's dev is the best dev value logged");
        assertTrue(run.steps() >= 5 && run.steps() < 100000, "stopped early, after step 5: " + run.steps());

        ChildRuns.withHome(home, () -> {
            Experiments experiments = new Experiments(Session.shared());
            Evaluation dev = experiments.evaluate(run, home.resolve("data/tasks/markers/dev.jsonl").toString());
            assertEquals(run.dev(), dev.value(), 0.0, "the saved prompt scores the logged dev value");
            Evaluation test = experiments.evaluate(run);
            assertEquals(run.test(), test.value(), 0.0, "and the recorded test value");
        });
    }

    /**
     * A script busy in its own Groovy code (a loop after its run) stops at the first Ctrl-C, with the interrupt's
     * summary alone: it ignored it ("stopping at the next step …") and only a second one, which aborts, ended it.
     */
    @Test
    void ctrlCInTheScriptsOwnLoopStopsItAtOnce() throws Exception {
        Path runs = tmp.resolve("own-loop");
        Path file = Files.writeString(tmp.resolve("own-loop.groovy"), "def r = promptTune { model 'tiny'; data 'markers'; "
                + "length 2; steps 2; evalEvery 0; save '" + runs + "' }\nprintln 'spinning'\nlong i = 0\nwhile (true) { i++ }\n");
        CliProcess child = CliProcess.start(List.of(), home, "run", "--threads", "1", file.toString());
        child.await(l -> l.equals("spinning"));
        child.signal("INT");
        assertEquals(130, child.exit(), child.toString());
        assertTrue(child.err().contains("interrupted by SIGINT: 1 run(s) recorded"), child.toString());
        assertTrue(!child.err().contains("again: aborting") && !child.err().contains("InterruptedException"), child.toString());
        assertEquals("COMPLETED", summary(ChildRuns.onlyRecord(runs)).get("stop_reason").getAsString());
    }

    /**
     * SIGKILL after an evaluation: the record has no summary but the checkpoint of the last evaluation (whole: saves
     * are atomic), and the run resumes from it with the metrics of the steps before it.
     */
    @Test
    void aRunKilledOutrightResumesFromItsLastEvaluation() throws Exception {
        Path runs = tmp.resolve("sigkill");
        CliProcess child = longRunSignalledAt(runs, 10, "KILL");
        assertEquals(137, child.exit(), child.toString());
        Path record = ChildRuns.onlyRecord(runs);
        assertTrue(Files.exists(record.resolve("checkpoint.safetensors")) && !Files.exists(record.resolve("summary.json")),
                files(record).toString());

        ChildRuns.withHome(home, () -> {
            PromptTuneRun resumed = new Experiments(Session.shared()).listener(ChildRuns.stopAtOnce()).resume(record.toString());
            // The progress line of an evaluation comes before its checkpoint is written: step 5's at least is there.
            int checkpointStep = resumed.steps() - 1;
            assertTrue(checkpointStep >= 5 && checkpointStep % 5 == 0, "resumed after step " + checkpointStep);
            assertEquals(resumed.steps(), RunRecord.load(record).losses().size(), "one loss per step in the metrics");
            assertEquals("INTERRUPTED", summary(record).get("stop_reason").getAsString());
        });
    }

    /**
     * SIGTERM as coreutils' {@code timeout} sends it: to the command and then to its whole process group, so the JVM
     * gets it twice (here 20 ms apart; bin/prompttune likewise passes on a terminal's Ctrl-C that the JVM got too).
     * That is one request: the second copy used to be taken as a second Ctrl-C that aborts at once, so
     * {@code timeout 1h prompttune run …} could lose the record it was meant to bound.
     */
    @Test
    void timeoutsDoubleSigtermInASweepKeepsTheFinishedRunAndTheInterruptedOneAndStartsNoOther() throws Exception {
        Path runs = tmp.resolve("sweep");
        CliProcess child = start(runs, "sweep { model 'tiny'; data 'markers'; length 4; batch 8; evalEvery 5; steps 10, 100000, 20 }");
        child.await(l -> l.startsWith("training markers-labels-4-steps100000"));
        child.await(l -> l.startsWith("eval at step 5:"));
        child.signal("TERM");
        Thread.sleep(20); // after the first has been handled (the stop takes far longer), as timeout's second copy
        child.signal("TERM");
        assertEquals(143, child.exit(), child.toString());
        assertTrue(!child.err().contains("again: aborting"), child.toString());
        // The stop line names the signal that aborts, not only Ctrl-C (a supervisor sends SIGTERM again).
        assertTrue(child.err().contains("(SIGTERM or Ctrl-C again aborts at once)"), child.toString());
        assertTrue(child.out().contains("INTERRUPTED: markers-labels-4-steps100000 after"), child.toString());
        assertTrue(child.err().contains("interrupted by SIGTERM: 2 run(s) recorded"), child.toString());
        assertTrue(!child.out().contains("training markers-labels-4-steps20"), "the third run never started");

        List<String> reasons = new ArrayList<>();
        for (Path record : ChildRuns.records(runs)) {
            JsonObject s = summary(record);
            assertEquals(s.get("stop_reason").getAsString().equals("INTERRUPTED") ? INTERRUPTED_RECORD_FILES : RECORD_FILES,
                    files(record), record.toString());
            reasons.add(s.get("name").getAsString() + " " + s.get("stop_reason").getAsString());
        }
        assertEquals(List.of("markers-labels-4-steps10 COMPLETED", "markers-labels-4-steps100000 INTERRUPTED"), reasons);
    }

    /**
     * SIGHUP, as when the terminal of a run over ssh closes, stops the run as Ctrl-C does: the whole record, marked
     * INTERRUPTED, exit 129. It used to end the JVM at once, leaving only the last evaluation's checkpoint.
     */
    @Test
    void aClosedTerminalSighupKeepsTheWholeRecord() throws Exception {
        Path runs = tmp.resolve("hup");
        CliProcess child = longRunSignalledAt(runs, 5, "HUP");
        assertEquals(129, child.exit(), child.toString());
        assertTrue(child.err().contains("interrupted by SIGHUP") && child.err().contains("exit 129"), child.toString());
        Path record = ChildRuns.onlyRecord(runs);
        assertEquals(INTERRUPTED_RECORD_FILES, files(record), "the whole record and nothing else");
        assertEquals("INTERRUPTED", summary(record).get("stop_reason").getAsString());
    }

    /**
     * The second Ctrl-C, half a second or more after the first, exits at once: whatever it cut short, no temp file and
     * no half-written file is left.
     */
    @Test
    void aSecondCtrlCAbortsAtOnceLeavingNoPartialFile() throws Exception {
        Path runs = tmp.resolve("twice");
        // 9,000 test examples: stopping (scoring the best prompt, writing the record) takes far longer than the half
        // second after which a second Ctrl-C counts as a second request, on a fast CPU too: 4.1 s on a 2-vCPU AMD EPYC
        // VM (with 1,500 examples 1.1-1.3 s, too close to it for a CPU 3 times as fast). The abort cuts it short.
        CliProcess child = start(runs, ChildRuns.LONG_RUN.replace("data 'markers'", "data '" + markersWithTestTimes(150) + "'"));
        child.await(l -> l.startsWith("eval at step 5:"));
        child.signal("INT");
        Thread.sleep(Interrupts.SAME_EVENT_MS + 50); // a second request, not the first one delivered twice
        child.signal("INT");
        assertEquals(130, child.exit(), child.toString());
        assertTrue(child.err().contains("SIGINT again: aborting now"), "the second Ctrl-C came while it stopped: " + child);
        for (Path record : ChildRuns.records(runs)) {
            for (String f : files(record)) {
                assertTrue(INTERRUPTED_RECORD_FILES.contains(f), "unexpected file " + f + " in " + record);
                if (f.endsWith(".json")) {
                    JsonParser.parseString(Files.readString(record.resolve(f))); // complete, or it would not parse
                }
            }
        }
    }

    /**
     * {@code prompttune eval} says what it scores, and Ctrl-C while it scores ends it at once with 130, saying that
     * nothing is lost (it exited 130 without a word, and printed nothing while it worked).
     */
    @Test
    void ctrlCDuringEvalEndsItAtOnceSayingSo() throws Exception {
        Path runs = tmp.resolve("eval");
        CliProcess trained = start(runs, "promptTune { model 'tiny'; data 'markers'; length 4; steps 2; batch 8; evalEvery 0 }");
        assertEquals(0, trained.exit(), trained.toString());
        Path record = ChildRuns.onlyRecord(runs);
        Path big = markersWithTestTimes(150).resolve("test.jsonl"); // scoring takes seconds: the signal comes during it
        CliProcess eval = CliProcess.start(List.of(), home, "eval", "--threads", "1", record.toString(), "--data", big.toString());
        eval.await(l -> l.startsWith("prompttune eval: scoring the prompt of markers-labels-4 on " + big));
        eval.signal("INT");
        assertEquals(130, eval.exit(), eval.toString());
        assertTrue(eval.err().contains("prompttune eval: SIGINT: stopped; it writes no file, so nothing is lost; exit 130"),
                eval.toString());
        assertTrue(!eval.out().contains(record + ": "), "no result line: " + eval);
    }

    /**
     * Ctrl-C stops the script where its run stopped: a savePrompt after the run does not write the stopped run's
     * prompt (it did, over whatever the file held), and nothing after it runs, the script's own Groovy code included
     * (a println and a file write ran); that end is the stop's consequence, not an error line of its own.
     */
    @Test
    void ctrlCStopsTheScriptWhereItsRunStopped() throws Exception {
        Path runs = tmp.resolve("script-stops");
        Path saved = tmp.resolve("saved/p");
        Path script = Files.writeString(tmp.resolve("stops.groovy"), "def a = "
                + ChildRuns.LONG_RUN.replaceFirst("\\}\\s*$", "; save '" + runs + "' }") + "\nprintln 'after the run'\n"
                + "new File('" + tmp.resolve("side.txt") + "').text = 'x'\nsavePrompt(a, '" + saved + "')\n");
        CliProcess child = CliProcess.start(List.of(), home, "run", "--threads", "1", script.toString());
        child.await(l -> l.startsWith("eval at step 5:"));
        child.signal("INT");
        assertEquals(130, child.exit(), child.toString());
        assertTrue(!Files.exists(saved.resolveSibling("p.safetensors")), "no prompt saved after the stop: " + child);
        assertTrue(!child.out().contains("after the run") && !Files.exists(tmp.resolve("side.txt")), child.toString());
        assertTrue(child.err().contains("the script stopped there"), child.toString());
        assertTrue(!child.err().contains("the script ends here"), child.toString());
        assertTrue(child.out().contains("INTERRUPTED after"), "the run's table: " + child);
        assertEquals("INTERRUPTED", summary(ChildRuns.onlyRecord(runs)).get("stop_reason").getAsString());
    }

    // ---- a child `prompttune run` ----------------------------------------------------------------------------------

    /** {@code prompttune run} of {@code block} (saving its records under {@code runs}) in a child JVM. */
    private static CliProcess start(Path runs, String block) throws IOException {
        return ChildRuns.start(List.of(), home, tmp, runs, block);
    }

    /**
     * resume runs one run, no script: its stop line says the run stops (it said "stopping the script"), and the record
     * is whole again after one signal.
     */
    @Test
    void ctrlCDuringResumeSpeaksOfTheRunNotAScript() throws Exception {
        Path runs = tmp.resolve("resume-ctrl-c");
        CliProcess first = longRunSignalledAt(runs, 5, "INT");
        assertEquals(130, first.exit(), first.toString());
        Path record = ChildRuns.onlyRecord(runs);
        CliProcess resumed = CliProcess.start(List.of(), home, "resume", "--threads", "1", record.toString());
        resumed.await(l -> l.startsWith("eval at step 10:"));
        resumed.signal("INT");
        assertEquals(130, resumed.exit(), resumed.toString());
        assertTrue(resumed.err().contains("SIGINT: stopping the run at its next step"), resumed.toString());
        assertTrue(!resumed.err().contains("script"), resumed.toString());
        assertEquals(INTERRUPTED_RECORD_FILES, files(record), "the whole record and nothing else (no temp file)");
    }

    /** A copy of the marker task whose test split is its own {@code times} times over. */
    private static Path markersWithTestTimes(int times) throws IOException {
        Path markers = home.resolve("data/tasks/markers");
        Path copy = tmp.resolve("markers-test-x" + times);
        if (Files.isDirectory(copy)) {
            return copy; // made by another test
        }
        Files.createDirectories(copy);
        for (String f : List.of("task.json", "train.jsonl", "dev.jsonl")) {
            Files.copy(markers.resolve(f), copy.resolve(f));
        }
        Files.writeString(copy.resolve("test.jsonl"), Files.readString(markers.resolve("test.jsonl")).repeat(times));
        return copy;
    }

    // ---- records ---------------------------------------------------------------------------------------------------

    private static Set<String> plus(Set<String> files, String file) {
        Set<String> out = new TreeSet<>(files);
        out.add(file);
        return Set.copyOf(out);
    }


    private static Set<String> files(Path record) throws IOException {
        try (Stream<Path> s = Files.list(record)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static JsonObject summary(Path record) throws IOException {
        return JsonParser.parseString(Files.readString(record.resolve("summary.json"))).getAsJsonObject();
    }

    /** The long run started into {@code runs}, sent {@code signal} once it has logged its evaluation at {@code step}. */
    private static CliProcess longRunSignalledAt(Path runs, int step, String signal) throws Exception {
        CliProcess child = start(runs, ChildRuns.LONG_RUN);
        child.await(l -> l.startsWith("eval at step " + step + ":"));
        child.signal(signal);
        return child;
    }
}
