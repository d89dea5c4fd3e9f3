package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end: run (table at the end, one-line errors), eval, export-peft, import-peft, --help. */
class CliTest {

    @TempDir
    static Path tmp;
    static Path home;

    /** What a command printed and returned. */
    record Result(int status, String out, String err) {}

    @BeforeAll
    static void home() throws Exception {
        home = dev.prompttune.dsl.TestHomes.tiny();
    }

    static Result cli(String... args) {
        return cli(home, args);
    }

    static synchronized Result cli(Path home, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", home.toString());
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = PromptTuneCli.execute(args);
            return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (previous == null) {
                System.clearProperty("prompttune.home");
            } else {
                System.setProperty("prompttune.home", previous);
            }
        }
    }

    /**
     * The lines of a command's standard error that are its own: without the lines DJL and PyTorch log as the engine
     * starts on a machine without a GPU ({@code [WARN] …}, {@code [W… …]}).
     */
    static List<String> withoutEngineLog(String err) {
        return err.strip().lines().filter(l -> !l.startsWith("[W")).toList();
    }

    static Path script(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** An error after a run finished says the run's record is whole (exit 2 alone read as if nothing was kept). */
    @Test
    void anErrorAfterARunSaysTheRunWasRecorded() throws Exception {
        Path s = script("error-after.groovy", "def r = promptTune {\n  model 'tiny'; data 'markers'; length 2; steps 1; "
                + "evalEvery 0\n  save '" + tmp.resolve("runs-error-after") + "'\n}\nthrow new IllegalStateException('late')\n");
        Result r = cli("run", "-q", s.toString());
        assertEquals(2, r.status(), r.err());
        Path record = Files.list(tmp.resolve("runs-error-after")).findFirst().orElseThrow();
        assertTrue(r.err().contains(s + ":5: IllegalStateException: late"), r.err());
        assertTrue(r.err().contains("prompttune: 1 run(s) finished and recorded before the error: " + record), r.err());
    }

    /** An empty input is still predicted, but said to be empty (training refuses inputs that all read the same). */
    @Test
    void anEmptyInputToPredictIsNamed() throws Exception {
        Path s = script("empty-input.groovy", "def r = promptTune {\n  model 'tiny'; data 'markers'; length 2; steps 1; "
                + "evalEvery 0\n  save '" + tmp.resolve("runs-empty") + "'\n}\nprintln predict(r, ['', 'the city', '  '])\n"
                + "println predict(r, 'the weather')\n");
        Result r = cli("run", "-q", s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("predict: inputs 1, 3 have nothing in {text}: the label comes from the prompt and "
                + "template alone"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("nothing in {text}")).count(), r.err());
    }

    /** A step larger than the training data is named (it went unsaid that every step repeated examples). */
    @Test
    void aStepLargerThanTheTrainingDataIsNamed() throws Exception {
        Path s = script("big-step.groovy", "promptTune {\n  model 'tiny'; data 'markers'; length 2; steps 1; batch 64; "
                + "gradientAccumulation 4; evalEvery 0\n  save '" + tmp.resolve("runs-big") + "'\n}\n");
        Result r = cli("run", "-q", s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("a step draws 256 examples (batch 64 × gradientAccumulation 4) from 200 training "
                + "examples, so each step repeats some"), r.err());
        Path small = script("small-step.groovy", "promptTune {\n  model 'tiny'; data 'markers'; length 2; steps 1; batch 8; "
                + "evalEvery 0\n  save '" + tmp.resolve("runs-small") + "'\n}\n");
        assertTrue(!cli("run", "-q", small.toString()).err().contains("a step draws"));
        // A batch beyond the data holds every example once (it said each step repeated some).
        Path whole = script("whole-batch.groovy", "promptTune {\n  model 'tiny'; data 'markers'; length 2; steps 1; batch 500; "
                + "evalEvery 0\n  save '" + tmp.resolve("runs-whole") + "'\n}\n");
        Result all = cli("run", "-q", whole.toString());
        assertEquals(0, all.status(), all.err());
        assertTrue(all.err().contains("batch 500 is more than the 200 training examples: each batch holds all 200 once"), all.err());
        assertTrue(!all.err().contains("a step draws"), all.err());
    }

    @Test
    void runPrintsProgressAndEndsWithTheTable() throws Exception {
        Path s = script("ok.groovy", "promptTune {\n  model 'tiny'; data 'markers'; length 4; steps 20; batch 8; evalEvery 10\n  save '"
                + tmp.resolve("runs") + "'\n}\n");
        Result r = cli("run", s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("training markers-labels-4: 20 steps"), r.out());
        List<String> lines = r.out().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("record: " + tmp.resolve("runs")), r.out());
        assertTrue(r.out().contains("prompt tuning: markers-labels-4"), r.out());
        assertTrue(r.out().contains("baseline: design"), r.out());

        // eval re-scores the record; export-peft / import-peft round-trip its prompt.
        Path record = Files.list(tmp.resolve("runs")).filter(p -> p.getFileName().toString().startsWith("markers-labels-4")).findFirst().orElseThrow();
        Result eval = cli("eval", record.toString());
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("test accuracy") && eval.out().contains("(recorded"), eval.out());

        Path adapter = tmp.resolve("adapter");
        Result export = cli("export-peft", record.toString(), "--out", adapter.toString());
        assertEquals(0, export.status(), export.err());
        assertTrue(Files.isRegularFile(adapter.resolve("adapter_config.json")));
        Result imported = cli("import-peft", adapter.toString(), "--out", tmp.resolve("prompts/imported").toString(), "--model", "tiny");
        assertEquals(0, imported.status(), imported.err());
        assertTrue(Files.isRegularFile(tmp.resolve("prompts/imported.safetensors")));
        Result again = cli("export-peft", tmp.resolve("prompts/imported.safetensors").toString(), "--out", tmp.resolve("adapter2").toString());
        assertEquals(0, again.status(), again.err());
    }

    @Test
    void badScriptExitsTwoWithOneLine() throws Exception {
        Path s = script("bad.groovy", "promptTune {\n  model 'tiny'\n  data 'markers'\n  lenght 20\n}\n");
        Result r = cli("run", s.toString());
        assertEquals(2, r.status());
        assertEquals(s + ":4: unknown keyword 'lenght' in promptTune { }; did you mean 'length'?", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void checkValidatesWithoutTraining() throws Exception {
        Path s = script("check.groovy", "promptTune { model 'tiny'; data 'markers' }\n");
        Result r = cli("run", "--check", s.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(s + ": ok", r.out().strip());
    }

    /** An empty script (or one of comments) is a mistake, not a run that did nothing: exit 2, one line naming it. */
    @Test
    void aScriptWithNothingToRunIsRefused() throws Exception {
        String allowed = "; allowed: statements calling promptTune, sweep, compare, evaluate, predict, ensemble, predictMixed,"
                + " baseline, load, resume, savePrompt, loadPrompt, exportPeft, importPeft, nearest, e.g. promptTune { data 'spam' }";
        record Case(String name, String text, String what) {}
        for (Case c : List.of(
                new Case("empty.groovy", "", "empty"),
                new Case("blank.groovy", "\n  \t\n", "only comments and blank space"),
                new Case("comments.groovy", "#!/usr/bin/env prompttune\n// to do\n/* a sweep,\n   later */\n", "only comments and blank space"))) {
            Path s = script(c.name(), c.text());
            for (String[] args : List.of(new String[] {"run", s.toString()}, new String[] {"run", "--check", s.toString()})) {
                Result r = cli(args);
                assertEquals(2, r.status(), String.join(" ", args));
                assertEquals(List.of("prompttune: script " + s + " defines nothing to run: it is " + c.what() + allowed),
                        withoutEngineLog(r.err()), String.join(" ", args));
                assertEquals("", r.out(), String.join(" ", args));
            }
        }
        // A comment that is never closed is no empty script: the compiler's error, on its line.
        Result unclosed = cli("run", "--check", script("unclosed.groovy", "// a\n/* never closed\n").toString());
        assertEquals(2, unclosed.status());
        assertTrue(unclosed.err().startsWith(tmp.resolve("unclosed.groovy") + ":2: "), unclosed.err());
    }

    /** `cd elsewhere && prompttune run examples/quickstart.groovy`: the error names the checkout's file. */
    @Test
    void aScriptPathOfTheCheckoutRunFromAnotherFolderNamesTheCheckoutsFile() throws Exception {
        Path inHome = home.resolve("examples-cli-test").resolve("quick.groovy");
        Files.createDirectories(inHome.getParent());
        Files.writeString(inHome, "promptTune { data 'markers' }\n");
        Result r = cli("run", "examples-cli-test/quick.groovy");
        assertEquals(2, r.status(), r.err());
        assertEquals("prompttune: script examples-cli-test/quick.groovy does not exist in the current folder "
                + Path.of("").toAbsolutePath() + "; prompttune's checkout has " + inHome + " (a script path is relative "
                + "to the folder the command runs in)", r.err().strip());
    }

    @Test
    void badInputToOtherCommandsIsOneLine() {
        Result r = cli("eval", tmp.resolve("no-such-record").toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("prompttune: run record " + tmp.resolve("no-such-record") + " does not exist", r.err().strip());
        Result scriptDir = cli("run", tmp.toString());
        assertEquals(2, scriptDir.status());
        assertEquals("prompttune: script " + tmp + " is a directory; allowed: a file", scriptDir.err().strip());
        Result devNull = cli("run", "/dev/null");
        assertEquals("prompttune: script /dev/null is not a regular file (a device, pipe or socket); allowed: a file",
                devNull.err().strip());
        Result i = cli("import-peft", tmp.resolve("no-adapter").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, i.status());
        assertTrue(i.err().contains("PEFT adapter"), i.err());
        Result intoFolder = cli("import-peft", tmp.resolve("no-adapter").toString(), "--out", tmp.toString());
        assertEquals(2, intoFolder.status());
        assertEquals("prompttune: import-peft: --out " + tmp + " is a directory; allowed: a prompt file name DIR/NAME "
                + "(NAME.safetensors and NAME.json are written in DIR), e.g. " + tmp.resolve("prompt"), intoFolder.err().strip());
    }

    @Test
    void aDamagedRecordOrAFileAsExportFolderIsOneLineNamingIt() throws Exception {
        Path s = script("rec.groovy", "promptTune { model 'tiny'; data 'markers'; length 2; steps 2; batch 4; evalEvery 0; "
                + "baselines(); save '" + tmp.resolve("damaged") + "' }\n");
        assertEquals(0, cli("run", "-q", s.toString()).status());
        Path record = Files.list(tmp.resolve("damaged")).findFirst().orElseThrow();
        Path spec = record.resolve("spec.json");
        String good = Files.readString(spec);

        Path unfinished = Files.createDirectories(tmp.resolve("unfinished"));
        Files.copy(spec, unfinished.resolve("spec.json"));
        Result noSummary = cli("export-peft", unfinished.toString(), "--out", tmp.resolve("u-out").toString());
        assertEquals(2, noSummary.status());
        assertEquals("prompttune: " + unfinished + " is the record of a run that did not finish: it has no summary.json;"
                + " allowed: a finished run's record", noSummary.err().strip());

        // Into a run record (its own, or another's) it wrote the adapter among the record's files.
        Result intoRecord = cli("export-peft", record.toString(), "--out", record.toString());
        assertEquals(2, intoRecord.status());
        assertEquals("prompttune: export-peft: " + record + " is a run record folder; allowed: a folder outside run "
                + "records, e.g. " + record.resolveSibling(record.getFileName() + "-peft"), intoRecord.err().strip());
        assertTrue(!Files.exists(record.resolve("adapter_config.json")));

        Path notAFolder = Files.writeString(tmp.resolve("a-file"), "x");
        Result export = cli("export-peft", record.toString(), "--out", notAFolder.toString());
        assertEquals(2, export.status());
        assertEquals("prompttune: export-peft: " + notAFolder + " is a file; allowed: a folder for the adapter (new, or "
                + "one whose adapter files may be replaced) that this user can write", export.err().strip());
        Result underAFile = cli("export-peft", record.toString(), "--out", notAFolder.resolve("adapter").toString());
        assertEquals(2, underAFile.status());
        assertEquals("prompttune: export-peft: cannot create the folder " + notAFolder.resolve("adapter") + ": "
                + notAFolder + " is a file, not a folder; allowed: a folder for the adapter (new, or one whose adapter files "
                + "may be replaced) that this user can write", underAFile.err().strip());

        // A record names its own model: --model naming another was ignored (the adapter was the record's model's);
        // naming the same one is no conflict.
        Result otherModel = cli("export-peft", record.toString(), "--model", "t5-small", "--out", tmp.resolve("m-out").toString());
        assertEquals(2, otherModel.status());
        assertEquals("prompttune: export-peft: --model t5-small does not apply to run record " + record + ": a record names"
                + " its own model (tiny); allowed: --model tiny or no --model (--model chooses the model of a prompt file)",
                otherModel.err().strip());
        assertFalse(Files.exists(tmp.resolve("m-out")));
        Result sameModel = cli("export-peft", record.toString(), "--model", "tiny", "--out", tmp.resolve("m-out").toString());
        assertEquals(0, sameModel.status(), sameModel.err());

        Files.writeString(spec, "{bad json");
        Result broken = cli("eval", record.toString());
        assertEquals(2, broken.status());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
        assertEquals("prompttune: " + spec + " is not valid JSON (line 1, column 7: expected ':')",
                broken.err().strip());

        Files.writeString(spec, good.replaceFirst("\"length\": *2", "\"length\": \"twenty\""));
        Result wrongType = cli("eval", record.toString());
        assertEquals(2, wrongType.status());
        assertEquals("prompttune: " + spec + ": field 'length' is \"twenty\"; allowed: a whole number", wrongType.err().strip());

        Files.writeString(spec, good.replaceFirst("\"length\": *2", "\"length\": 0"));
        Result badValue = cli("eval", record.toString());
        assertEquals("prompttune: " + spec + ": length is 0; allowed: length >= 1", badValue.err().strip());
    }

    /**
     * The README's first command, {@code prompttune run examples/quickstart.groovy}, on the repository's spam task
     * with a tiny stand-in for t5-mini: it ends with the table (baselines, record, prompt).
     */
    @Test
    void quickstartEndsWithTheTable() throws Exception {
        Path standIn = dev.prompttune.dsl.TestHomes.t5MiniStandIn();
        Path quickstart = dev.prompttune.dsl.TestHomes.repo().resolve("examples/quickstart.groovy");
        String script = Files.readString(quickstart).replaceAll("steps \\d+", "steps 10").replaceAll("evalEvery \\d+", "evalEvery 5")
                + "\n// (test copy: fewer steps, records in a temp dir)\n";
        script = script.replace("    evalEvery 5\n", "    evalEvery 5\n    save '" + tmp.resolve("quickstart-runs") + "'\n");
        Result r = cli(standIn, "run", "-q", script("quickstart.groovy", script).toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 6).startsWith("run "), r.out());
        assertTrue(lines.get(lines.size() - 5).startsWith("prompt tuning: spam-labels-20"), r.out());
        assertTrue(lines.get(lines.size() - 4).startsWith("baseline: design"), r.out());
        assertTrue(lines.get(lines.size() - 3).startsWith("baseline: majority"), r.out());
        assertTrue(lines.get(lines.size() - 2).startsWith("steps 10"), r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("record: " + tmp.resolve("quickstart-runs")), r.out());
        assertTrue(lines.get(lines.size() - 1).contains("prompt.safetensors"), r.out());
    }

    /**
     * Verbalizer words the model's tokenizer cannot tell apart (" spam" is "spam") or cannot spell (an emoji is
     * {@code <unk>} to the built-in tokenizer) are refused before training, naming the label and the tokens; they
     * used to train and report accuracy 1.0 on tied scores. No record is left.
     */
    @Test
    void verbalizerWordsTheTokenizerCannotTellApartAreRefused() throws Exception {
        Path standIn = dev.prompttune.dsl.TestHomes.t5MiniStandIn();
        Path train = standIn.resolve("data/tasks/spam/train.jsonl");
        String[][] cases = {
            {"spam: 'spam', ham: ' spam'", "'spam' (label 'spam') and ' spam' (label 'ham') become the same tokens"},
            {"spam: '😀', ham: 'normal'", "for label 'spam' has characters the model's tokenizer does not know"},
        };
        for (String[] c : cases) {
            Path runs = tmp.resolve("verbalizer-runs-" + c[0].hashCode());
            String script = "promptTune {\n    model 't5-mini'\n    train '" + train + "'\n    template 'subject: {subject}'\n"
                    + "    labels " + c[0] + "\n    steps 2; batch 4; evalEvery 0; length 5\n    save '" + runs + "'\n}\n";
            Path file = script("verbalizer.groovy", script);
            Result r = cli(standIn, "run", "-q", file.toString());
            assertEquals(2, r.status(), c[0] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(file + ":5: ") && r.err().contains(c[1]), c[0] + ": " + r.err());
            assertTrue(!Files.exists(runs) || Files.list(runs).findAny().isEmpty(), "no record for " + c[0]);
            // Found by --check too, on the labels line (it was found only when the block's run began).
            Result check = cli(standIn, "run", "--check", file.toString());
            assertEquals(2, check.status(), c[0] + ": " + check.out() + check.err());
            assertTrue(check.err().contains(file + ":5: ") && check.err().contains(c[1]), c[0] + ": " + check.err());
        }
    }

    /**
     * A template that reads the label field is refused; dev and test files that repeat the training inputs are run
     * (fitting is a legitimate check) but said once each, as a warning, not once per time the task is resolved.
     */
    @Test
    void labelLeaksAreRefusedAndSharedSplitsAreSaidOnce() throws Exception {
        Path standIn = dev.prompttune.dsl.TestHomes.t5MiniStandIn();
        List<String> lines = Files.readAllLines(standIn.resolve("data/tasks/spam/train.jsonl")).subList(0, 12);
        Path train = Files.write(tmp.resolve("small-train.jsonl"), lines);
        String head = "promptTune {\n    model 't5-mini'\n";
        String tail = "    steps 2; batch 4; evalEvery 0; length 5\n    save '" + tmp.resolve("leak-runs") + "'\n}\n";

        Result leak = cli(standIn, "run", "-q", script("leak.groovy", head + "    train '" + train + "'\n"
                + "    template 'subject: {subject} answer: {label}'\n" + tail).toString());
        assertEquals(2, leak.status(), leak.out() + leak.err());
        assertTrue(leak.err().contains("leak.groovy:4: template 'subject: {subject} answer: {label}' reads {label}"),
                leak.err());

        Result same = cli(standIn, "run", "-q", script("same.groovy", head + "    data train: '" + train + "', dev: '"
                + train + "', test: '" + train + "'\n    template 'subject: {subject}'\n" + tail).toString());
        assertEquals(0, same.status(), same.out() + same.err());
        for (String split : List.of("dev", "test")) {
            String warning = "all 12 " + split + " examples have the same input as a training example";
            assertEquals(1, ClosingTableTest.count(same.err(), warning), same.err());
        }
    }

    @Test
    void examplesCompileAndValidate() throws Exception {
        Path standIn = dev.prompttune.dsl.TestHomes.t5MiniStandIn();
        for (String example : List.of("quickstart.groovy", "ablation.groovy")) {
            Path file = dev.prompttune.dsl.TestHomes.repo().resolve("examples").resolve(example);
            Result r = cli(standIn, "run", "--check", file.toString());
            assertEquals(0, r.status(), example + ": " + r.err());
        }
    }

    @Test
    void everyCommandHasHelp() {
        Stream.of("run", "eval", "import-peft", "export-peft", "verify-t5", "verify-peft").forEach(c -> {
            Result r = cli(c, "--help");
            assertEquals(0, r.status(), c);
            assertTrue(r.out().startsWith("Usage: prompttune " + c), c + ": " + r.out());
        });
        Result top = cli("--help");
        assertEquals(0, top.status());
        for (String c : List.of("run", "eval", "import-peft", "export-peft")) {
            assertTrue(top.out().contains(c), c);
        }
        assertTrue(top.out().contains("prompttune-hs_err-PID.log"), "--help says where a crash report goes: " + top.out());
    }
}
