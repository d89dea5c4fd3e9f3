package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in verb calls that are known before a script runs (a missing prompt file, record, adapter or data file; a
 * literal argument the verb refuses) are reported with the script's other mistakes, before anything trains; files
 * the script writes itself are read when it gets there, so a script that saves a prompt and then uses it works.
 */
@ExtendWith(HomeExtension.class)
class VerbChecksTest {

    private static final String BLOCK = "promptTune { model 'tiny'; data 'markers'; length 2; steps 2; batch 4; evalEvery 0 }";

    Session session;
    Experiments experiments;

    @BeforeEach
    void session() {
        session = new Session();
        experiments = new Experiments(session);
    }

    @AfterEach
    void close() {
        session.close();
    }

    private List<String> errors(String script) {
        return ScriptErrors.of(experiments, script);
    }

    @Test
    void eachVerbMistakeIsReportedOnItsLineBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path notPrompt = Files.writeString(dir.resolve("broken.safetensors"), "not a safetensors file");
        List<String> lines = errors("""
                def a = %s
                nearest(a, 0)
                ensemble([])
                predict(a, null)
                loadPrompt('%s')
                loadPrompt('%s')
                evaluate(a, '%s')
                importPeft('%s')
                load('%s')
                compare([])
                resume('%s')
                evaluate('%s')
                """.formatted(BLOCK, dir.resolve("missing"), notPrompt, dir.resolve("missing.csv"), dir.resolve("no-adapter"),
                dir.resolve("runs/none"), dir.resolve("runs/gone"), dir.resolve("runs/other")));
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertEquals("bad.groovy:2: nearest tokens: k is 0; allowed: 1 <= k <= the model's vocabulary size", lines.get(0));
        assertEquals("bad.groovy:3: " + Experiments.NO_RUNS_TO_ENSEMBLE, lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:4: predict: the input is null; allowed: a text"), lines.get(2));
        assertEquals("bad.groovy:5: prompt file " + dir.resolve("missing.safetensors") + " does not exist", lines.get(3));
        assertTrue(lines.get(4).startsWith("bad.groovy:6: " + notPrompt), lines.get(4));
        assertEquals("bad.groovy:7: data file " + dir.resolve("missing.csv") + " does not exist", lines.get(5));
        assertEquals("bad.groovy:8: PEFT adapter " + dir.resolve("no-adapter") + " does not exist", lines.get(6));
        assertEquals("bad.groovy:9: run record " + dir.resolve("runs/none") + " does not exist", lines.get(7));
        assertEquals("bad.groovy:10: " + Experiments.NO_RUNS_TO_COMPARE, lines.get(8));
        assertTrue(lines.get(9).startsWith("bad.groovy:11: ") && lines.get(9).contains(dir.resolve("runs/gone").toString()), lines.get(9));
        assertTrue(lines.get(10).startsWith("bad.groovy:12: run record " + dir.resolve("runs/other")), lines.get(10));
        assertEquals(0, session.modelLoads(), "a model was loaded");
    }

    /** Before: `init file('p.safetensors')` after `savePrompt(a, 'p')` was refused at compile time ("does not exist"). */
    @Test
    void aScriptThatSavesAPromptAndThenUsesItRuns(@TempDir Path dir) {
        Path p = dir.resolve("saved/p");
        Path peft = dir.resolve("adapter");
        Object value = new ScriptRunner(experiments).run("""
                def a = %s
                savePrompt(a, '%s')
                def b = loadPrompt('%s')
                exportPeft(b, '%s')
                importPeft('%s')
                promptTune { model 'tiny'; data 'markers'; length 2; steps 2; batch 4; evalEvery 0; init file('%s.safetensors') }
                """.formatted(BLOCK, p, p, peft, peft, p), "saves.groovy");
        assertEquals(2, experiments.runs().size(), String.valueOf(value));
        assertTrue(Files.isRegularFile(peft.resolve("adapter_config.json")));
    }

    /**
     * A writing verb whose path is only known when the script runs, or a file written by Groovy's own means, may be
     * anything: no read is checked ahead.
     */
    @Test
    void aPathKnownOnlyWhenTheScriptRunsTurnsTheReadChecksOff(@TempDir Path dir) {
        new ScriptRunner(experiments).compile("""
                def a = %s
                [1, 2].each { i -> savePrompt(a, "%s/p$i") }
                loadPrompt('%s/p2')
                """.formatted(BLOCK, dir, dir), "loop.groovy");
        new ScriptRunner(experiments).compile("""
                def a = %s
                new File('%s/x.csv').text = 'text,label\\nhello,yes\\n'
                evaluate(a, '%s/x.csv')
                """.formatted(BLOCK, dir, dir), "writes.groovy");
        List<String> lines = errors("""
                def a = %s
                savePrompt(a, '%s/p1')
                loadPrompt('%s/p2')
                """.formatted(BLOCK, dir, dir));
        assertEquals(List.of("bad.groovy:3: prompt file " + dir.resolve("p2.safetensors") + " does not exist"), lines);
    }

    /**
     * A file the script writes only in a later statement is not there yet for a read that runs before it: the read is
     * checked (it was skipped, and `--check` said ok to a script that failed at its first line). A read inside a
     * closure the script calls later, or a write in a method, may come in any order: not checked ahead.
     */
    @Test
    void aFileWrittenOnlyLaterIsCheckedWhereItIsRead(@TempDir Path dir) {
        Path p = dir.resolve("p");
        List<String> lines = errors("""
                promptTune { model 'tiny'; data 'markers'; length 2; init file('%s.safetensors') }
                loadPrompt('%s')
                def a = %s
                savePrompt(a, '%s')
                """.formatted(p, p, BLOCK, p));
        assertEquals(List.of("bad.groovy:1: init file: " + p + ".safetensors does not exist",
                "bad.groovy:2: prompt file " + p + ".safetensors does not exist"), lines);
        new ScriptRunner(experiments).compile("""
                def later = { loadPrompt('%s') }
                def a = %s
                savePrompt(a, '%s')
                later()
                """.formatted(p, BLOCK, p), "closure.groovy");
        new ScriptRunner(experiments).compile("""
                def save(dev.prompttune.core.run.PromptTuneRun r) { savePrompt(r, '%s') }
                def a = %s
                loadPrompt('%s')
                """.formatted(p, BLOCK, p), "method.groovy");
    }

    /**
     * Where savePrompt and exportPeft write is checked before anything runs (each passed the check and failed after
     * the training): an empty path, a folder as the prompt's name, a run record's own prompt, a file as the adapter's
     * folder.
     */
    @Test
    void writeTargetsKnownBeforeTheScriptRunsAreChecked(@TempDir Path dir) throws Exception {
        Path record = Files.createDirectories(dir.resolve("runs/r-1"));
        Files.writeString(record.resolve("spec.json"), "{}");
        Path file = Files.writeString(dir.resolve("afile"), "x");
        List<String> lines = errors("""
                def a = %s
                savePrompt(a, '')
                savePrompt(a, '%s')
                savePrompt(a, '%s')
                exportPeft(a, '%s')
                savePrompt(a, '%s')
                """.formatted(BLOCK, dir, record.resolve("prompt"), file, record.resolve("checkpoint")));
        assertEquals(5, lines.size(), String.join("\n", lines));
        // Any name in a record: 'checkpoint' wrote over checkpoint.safetensors (the run could no longer resume).
        assertEquals("bad.groovy:6: savePrompt: " + record.resolve("checkpoint") + " is inside run record " + record
                + ", whose files only its run writes; allowed: a path outside run records and PEFT adapters (e.g. saved/NAME)", lines.get(4));
        assertTrue(lines.get(0).startsWith("bad.groovy:2: prompt file is an empty path"), lines.get(0));
        assertEquals("bad.groovy:3: savePrompt: " + dir + " is a folder; allowed: a prompt file name DIR/NAME (writes "
                + "DIR/NAME.safetensors and DIR/NAME.json), e.g. " + dir.resolve("prompt"), lines.get(1));
        assertEquals("bad.groovy:4: savePrompt: " + record.resolve("prompt") + " is the prompt of run record " + record
                + ", which only its run writes; allowed: a path outside run records and PEFT adapters (e.g. saved/NAME)", lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:5: exportPeft: " + file + " is a file; allowed: a folder for the "
                + "adapter"), lines.get(3));
    }

    /**
     * A PEFT adapter folder is no place for a prompt file: savePrompt(a, 'adapter/adapter_model') replaced the adapter's
     * weights with a prompt file of another shape, and the adapter no longer loaded. Refused before anything runs.
     */
    @Test
    void savePromptIntoAPeftAdapterIsRefusedBeforeTheScriptRuns(@TempDir Path dir) throws Exception {
        Path adapter = dir.resolve("adapter");
        dev.prompttune.core.peft.PeftAdapter.exportTo(adapter, new float[4 * 32], 4, 32, "tiny", 4, 2);
        List<String> lines = errors("""
                def a = %s
                savePrompt(a, '%s')
                savePrompt(a, '%s')
                """.formatted(BLOCK, adapter.resolve("adapter_model"), adapter.resolve("mine.safetensors")));
        assertEquals(List.of("bad.groovy:2: savePrompt: " + adapter.resolve("adapter_model") + " is inside PEFT adapter " + adapter
                        + ", whose files PEFT reads; allowed: a path outside run records and PEFT adapters (e.g. saved/NAME)",
                "bad.groovy:3: savePrompt: " + adapter.resolve("mine.safetensors") + " is inside PEFT adapter " + adapter
                        + ", whose files PEFT reads; allowed: a path outside run records and PEFT adapters (e.g. saved/NAME)"),
                lines);
    }

    /** predictMixed's lists written out must pair up: their sizes are known before the script runs. */
    @Test
    void predictMixedListsThatDoNotPairUpAreFoundBeforeAnythingRuns() {
        List<String> lines = errors("""
                def a = %s
                predictMixed([a, a], ['one text'])
                predictMixed([], [])
                """.formatted(BLOCK));
        assertEquals(List.of("bad.groovy:2: predictMixed: 2 runs for 1 inputs; allowed: one run per input, at least one",
                "bad.groovy:3: predictMixed: 0 runs for 0 inputs; allowed: one run per input, at least one"), lines);
    }

    /** A block written inside a block (as in a %%promptTune cell holding a whole promptTune { }) is named as such. */
    @Test
    void aBlockInsideABlockIsNamed() {
        List<String> lines = errors("promptTune {\n  promptTune { model 'tiny'; data 'markers' }\n}\n");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.groovy:2: 'promptTune' is a command, not a keyword of "
                + "promptTune { }: blocks do not nest")), String.join("\n", lines));
    }

    /**
     * A method called by a computed name crashed the compiler ("BUG! exception in phase 'instruction selection'": a
     * null name in a set lookup); it is the type checker's one line again.
     */
    @Test
    void aMethodCalledByAComputedNameIsOneLine() {
        List<String> lines = errors("""
                def m = 'size'
                def n = 'abc'."$m"()
                """);
        assertEquals(List.of("bad.groovy:2: Cannot resolve dynamic method name at compile time"), lines);
    }

    /**
     * A verb given the run of a block known before the script runs is checked against that block, before anything
     * trains (each passed --check, trained, and failed after): exportPeft of a suffix prompt, an ensemble of runs of
     * different tasks or placements, evaluate on a file lacking a template field, predict of a map lacking one.
     */
    @Test
    void verbsAreCheckedAgainstTheBlocksOfTheirRuns(@TempDir Path dir) throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        Path noText = Files.writeString(dir.resolve("no-text.jsonl"), "{\"txt\": \"the city\", \"label\": \"a\"}\n");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String split : new String[] {"train", "dev", "test"}) {
            Files.copy(markers.resolve(split + ".jsonl"), copy.resolve(split + ".jsonl"));
        }
        List<String> lines = errors("""
                def a = promptTune { model 'tiny'; data 'markers'; name 'a'; placement 'suffix'; steps 2 }
                def b = promptTune { model 'tiny'; data train: '%s', test: '%s'; name 'b'; steps 2 }
                def c = promptTune { model 'tiny'; data 'markers'; name 'c'; steps 2 }
                exportPeft(a, '%s')
                ensemble([c, b])
                ensemble(c, a)
                evaluate(c, '%s')
                predict(c, [txt: 'the city'])
                exportPeft(c, '%s')
                ensemble([c, c])
                evaluate(c, '%s')
                predict(c, [[text: 'the city'], 'the weather'])
                """.formatted(copy.resolve("train.jsonl"), copy.resolve("test.jsonl"), dir.resolve("adapter-a"), noText,
                        dir.resolve("adapter-c"), markers.resolve("test.jsonl")));
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:4: exportPeft: a was trained with placement 'suffix'"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:5: ensemble: b differs from c in data"), lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:6: ensemble: a differs from c in placement"), lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:7: template slot '{text}' has no field in " + noText + ":1"), lines.get(3));
        assertTrue(lines.get(4).startsWith("bad.groovy:8: template slot '{text}' has no field in predict input 1"), lines.get(4));
    }

    /**
     * evaluate(run, FILE) is checked for FILE's problems only: the run's own broken dev file is said at its block (it was
     * blamed on the evaluate line too, naming the block's file), and no longer hides FILE's own mistake.
     */
    @Test
    void evaluateIsCheckedForItsOwnFileOnly(@TempDir Path dir) throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        Path badDev = Files.writeString(dir.resolve("bad-dev.jsonl"), "{\"text\": \"the city\", \"label\": \"maybe\"}\n");
        Path badEval = Files.writeString(dir.resolve("bad-eval.jsonl"), "{\"text\": \"the city\", \"label\": \"perhaps\"}\n");
        List<String> lines = errors("""
                def b = promptTune { model 'tiny'; data train: '%s', dev: '%s', test: '%s'; name 'b'; steps 2 }
                evaluate(b, '%s')
                evaluate(b, '%s')
                """.formatted(markers.resolve("train.jsonl"), badDev, markers.resolve("test.jsonl"),
                        markers.resolve("test.jsonl"), badEval));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:1: ") && lines.get(0).contains("'maybe'")
                && lines.get(0).contains(badDev.toString()), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:3: ") && lines.get(1).contains("'perhaps'")
                && lines.get(1).contains(badEval.toString()), lines.get(1));
    }
}
