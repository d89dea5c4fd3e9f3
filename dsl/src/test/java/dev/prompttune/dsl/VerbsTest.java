package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.interpret.NearestTokens;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.run.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every verb of the DSL, run as a script against two prompts trained on the tiny task. */
@ExtendWith(HomeExtension.class)
class VerbsTest {

    @TempDir
    static Path tmp;
    static Session session;
    static Experiments experiments;
    static PromptTuneRun a;
    static PromptTuneRun b;
    static int loadsAfterTraining;

    @BeforeAll
    static void train() {
        session = new Session();
        experiments = new Experiments(session);
        a = (PromptTuneRun) run("""
                promptTune {
                    model 'tiny'; data 'markers'; name 'a'
                    length 8; init 'labels'; steps 120; batch 16; evalEvery 40
                    save '%s'
                }
                """.formatted(tmp.resolve("runs")));
        b = (PromptTuneRun) run("""
                def run = promptTune {
                    model 'tiny'; data 'markers'; name 'b'
                    length 8; init 'random'; seed 2; steps 60; batch 16; evalEvery 30
                    save '%s'
                }
                run
                """.formatted(tmp.resolve("runs")));
        loadsAfterTraining = session.modelLoads();
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static Object run(String script) {
        return new ScriptRunner(experiments).run(script, "verbs.groovy");
    }

    static String load(PromptTuneRun r) {
        return "load('" + r.record() + "')";
    }

    /**
     * A null run, list or input given to a verb is one line naming the verb and the argument's place (each was a
     * NullPointerException's stack trace); a null field value is refused (it was predicted on the text "null"); the
     * input of predictMixed at fault is named by its place (every one was "input 1").
     */
    @Test
    void nullsAndBadInputsAreNamed() {
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("predict(null, 'x')", "predict: the run is null; allowed: a run");
        expected.put("compare(" + load(a) + ", null)", "compare: run 2 of 2 is null");
        expected.put("ensemble(" + load(a) + ", null)", "ensemble: run 2 of 2 is null");
        expected.put("savePrompt(null, '" + tmp.resolve("never") + "')", "savePrompt: the run is null");
        expected.put("nearest(null, 3)", "nearest: the run is null");
        expected.put("List x = null; predictMixed([" + load(a) + "], x)", "predictMixed: the list of inputs is null");
        expected.put("predictMixed([" + load(a) + ", " + load(b) + "], ['x', null])", "predictMixed: input 2 of 2 is null");
        expected.put("predict(" + load(a) + ", [text: null])", "predict: field 'text' of input 1 is null; allowed: a text");
        expected.put("predict(" + load(a) + ", [text: ['a', 'b']])", "predict: field 'text' of input 1 is a ");
        expected.put("predictMixed([" + load(a) + ", " + load(b) + "], ['x', [txt: 'y']])", "predictMixed input 2");
        expected.forEach((script, message) -> {
            ScriptError e = assertThrows(ScriptError.class, () -> run(script), script);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(message), script + " -> " + e.getMessage());
        });
    }

    /** From Java, a null block, spec, baseline kind or file is named (each was a NullPointerException). */
    @Test
    void nullsFromJavaAreNamed() {
        java.util.Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("promptTune: the block is null; allowed: the settings", () -> experiments.promptTune(null));
        calls.put("sweep: the block is null; allowed: the settings", () -> experiments.sweep(null));
        calls.put("run: the spec is null; allowed: a spec", () -> experiments.run(null));
        calls.put("baseline: the kind is null; allowed: design, majority, modelTuning", () -> experiments.baseline(null, spec -> spec.model("tiny")));
        calls.put("baseline: the block is null", () -> experiments.baseline("majority", null));
        calls.put("data file is null; allowed: a labelled", () -> experiments.evaluate(a, (String) null));
        calls.forEach((message, call) -> {
            PromptTuneException e = assertThrows(PromptTuneException.class, call, message);
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
    }

    /**
     * An ensemble's members are compared as resolved: the same model named and given by its folder, the same task
     * named and given as its files, are one (they were "differs … in model"); another template still differs.
     */
    @Test
    void ensembleMembersAreComparedAsResolved() throws Exception {
        Path home = HomeExtension.home();
        Path markers = home.resolve("data/tasks/markers");
        PromptTuneRun byPath = (PromptTuneRun) run("""
                promptTune {
                    model '%s'; name 'by-path'
                    data train: '%s', dev: '%s', test: '%s'
                    template 'classify: {text}'; labels a: 'good', b: 'never'
                    length 8; steps 2; batch 16; evalEvery 1; save '%s'
                }
                """.formatted(home.resolve("models/tiny"), markers.resolve("train.jsonl"), markers.resolve("dev.jsonl"),
                        markers.resolve("test.jsonl"), tmp.resolve("runs")));
        EnsembleResult both = experiments.ensemble(List.of(a, byPath));
        assertTrue(!both.table().isBlank());
        PromptTuneRun otherTemplate = (PromptTuneRun) run("""
                promptTune {
                    model 'tiny'; data 'markers'; name 'other-template'; template 'say: {text}'
                    length 8; steps 2; batch 16; evalEvery 1; save '%s'
                }
                """.formatted(tmp.resolve("runs")));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> experiments.ensemble(List.of(a, otherTemplate)));
        assertTrue(e.getMessage().startsWith("ensemble: other-template differs from a in template or labels"), e.getMessage());
    }

    /** exportPeft's refusals name exportPeft, the verb the script called (they said export-peft, the CLI's command). */
    @Test
    void exportPeftRefusalsNameTheVerb() {
        PromptTuneRun suffix = (PromptTuneRun) run("""
                promptTune { model 'tiny'; data 'markers'; name 'suffix'; placement 'suffix'; length 2; steps 1; evalEvery 0
                             save '%s' }
                """.formatted(tmp.resolve("runs")));
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> experiments.exportPeft(suffix, tmp.resolve("suffix-adapter").toString()));
        assertTrue(e.getMessage().startsWith("exportPeft: ") && e.getMessage().contains("placement 'suffix'"), e.getMessage());
    }

    /** An adapter folder given to loadPrompt points to importPeft; an adapter prints as what it is (was stored=[F@…). */
    @Test
    void anAdapterIsNamedAsOne() {
        Path adapter = tmp.resolve("adapter-for-load");
        run("exportPeft(" + load(a) + ", '" + adapter + "')");
        ScriptError e = assertThrows(ScriptError.class, () -> run("loadPrompt('" + adapter + "')"));
        assertTrue(e.getMessage().contains("is a PEFT adapter folder; allowed here: a prompt file or run record; read an "
                + "adapter with importPeft('" + adapter + "')"), e.getMessage());
        String shown = String.valueOf(run("importPeft('" + adapter + "')"));
        assertTrue(shown.startsWith("PEFT prompt-tuning adapter: 8 virtual tokens × width 32"), shown);
    }

    /** sweep.get of a point that matches several returned the first silently; of null, a NullPointerException. */
    @Test
    void aSweepPointMustBeNamedWhole() {
        SweepResult grid = (SweepResult) run("""
                sweep { model 'tiny'; data 'markers'; length 1, 2; init 'labels', 'random'; steps 1; batch 4; evalEvery 0
                        save '%s' }
                """.formatted(tmp.resolve("grid")));
        PromptTuneException several = assertThrows(PromptTuneException.class, () -> grid.get(java.util.Map.of("length", 2)));
        assertTrue(several.getMessage().startsWith("sweep.get({length=2}) matches 2 points"), several.getMessage());
        assertThrows(PromptTuneException.class, () -> grid.get(java.util.Map.of()));
        assertThrows(PromptTuneException.class, () -> grid.get(null));
        PromptTuneException fixed = assertThrows(PromptTuneException.class,
                () -> grid.get(java.util.Map.of("length", 2, "init", "labels", "steps", 1)));
        assertTrue(fixed.getMessage().contains("steps is not an axis"), fixed.getMessage());
        assertEquals(2, grid.get(java.util.Map.of("length", 2, "init", "random")).length());
    }

    @Test
    void promptTuneReturnsARunWithMetricsPromptAndRecord() {
        assertEquals(8 * 32, a.prompt().length);
        assertTrue(a.test() >= 0 && a.test() <= 1);
        assertTrue(Files.isRegularFile(a.record().resolve("prompt.safetensors")));
        assertEquals(Set.of("design", "majority"), a.baselines().keySet());
        assertEquals(1, loadsAfterTraining, "both runs share one loaded model");
        // The run is usable in the next statement.
        assertEquals(a.test(), (Double) run("def r = " + load(a) + "\nr.test"));
    }

    @Test
    void compare() {
        RunComparison c = (RunComparison) run("compare(" + load(a) + ", " + load(b) + ")");
        assertEquals(List.of("a", "b"), c.rows().stream().map(RunComparison.Row::name).toList());
        assertEquals(a.test(), c.rows().get(0).test());
    }

    @Test
    void loadReadsTheRecordBack() {
        PromptTuneRun loaded = (PromptTuneRun) run(load(a));
        assertArrayEquals(a.prompt(), loaded.prompt());
        assertEquals(a.spec().toJson(), loaded.spec().toJson());
    }

    @Test
    void evaluateRescoresFromTheRecord() throws Exception {
        Evaluation e = (Evaluation) run("evaluate(" + load(a) + ")");
        assertEquals("test", e.split());
        assertEquals(a.test(), e.value(), 0.0);
        assertEquals(a.test(), e.recorded(), 0.0);
        Evaluation byDir = (Evaluation) run("evaluate '" + a.record() + "'");
        assertEquals(a.test(), byDir.value(), 0.0);
        Path testFile = HomeExtension.home().resolve("data/tasks/markers/test.jsonl");
        Evaluation f = (Evaluation) run("evaluate(" + load(a) + ", '" + testFile + "')");
        assertEquals(a.test(), f.value(), 0.0, "the same file scores the same");
        assertEquals(60, f.predictions().size());
    }

    /**
     * What evaluate compares follows from the split it scored: a summary that holds no test score (null) beside a
     * labelled test split gets the test split scored and named, with nothing recorded to compare (it was named "dev"
     * and compared with the recorded dev score).
     */
    @Test
    void evaluateNamesTheSplitItScored() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("no-test-score"));
        try (var files = Files.list(a.record())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path summary = copy.resolve("summary.json");
        String edited = Files.readString(summary).replaceFirst("\"test\"\\s*:\\s*[0-9.eE-]+", "\"test\": null");
        assertTrue(!edited.equals(Files.readString(summary)), "the summary's test score was not found to edit");
        Files.writeString(summary, edited);
        Evaluation e = (Evaluation) run("evaluate '" + copy + "'");
        assertEquals("test", e.split());
        assertEquals(a.test(), e.value(), 0.0);
        assertTrue(Double.isNaN(e.recorded()), "compared with " + e.recorded());
    }

    @Test
    void predictAgreesWithTheRecordedTestPredictions() throws Exception {
        List<String> texts = Files.readAllLines(HomeExtension.home().resolve("data/tasks/markers/test.jsonl")).stream().limit(6)
                .map(l -> l.replaceAll(".*\"text\": \"([^\"]*)\".*", "$1")).toList();
        StringBuilder list = new StringBuilder("[");
        texts.forEach(t -> list.append("'").append(t).append("', "));
        list.append("]");
        @SuppressWarnings("unchecked")
        List<Prediction> p = (List<Prediction>) run("predict(" + load(a) + ", " + list + ")");
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(a.predictions().get(i).predicted(), p.get(i).target(), texts.get(i));
            assertEquals(Set.of("a", "b"), p.get(i).scores().keySet());
            assertEquals("classify: " + texts.get(i), p.get(i).input());
        }
        Prediction one = (Prediction) run("predict(" + load(a) + ", '" + texts.get(0) + "')");
        assertEquals(p.get(0).label(), one.label());
        assertEquals(p.get(0).scores().get("a"), one.scores().get("a"), 1e-4, "alone or in a batch: the same scores");
        Prediction named = (Prediction) run("predict(" + load(a) + ", text: '" + texts.get(0) + "')");
        assertEquals(p.get(0).label(), named.label());
        Prediction map = (Prediction) run("predict(" + load(a) + ", [text: '" + texts.get(0) + "'])");
        assertEquals(p.get(0).label(), map.label());
    }

    @Test
    void ensembleVotesOverMembers() {
        EnsembleResult e = (EnsembleResult) run("ensemble(" + load(a) + ", " + load(b) + ")");
        assertEquals(List.of("a", "b"), e.members());
        assertEquals("test", e.split());
        assertEquals(60, e.predictions().length);
        assertEquals(a.test(), e.memberValues().get(0), 1e-9, "a member scores as it does alone");
        assertEquals(b.test(), e.memberValues().get(1), 1e-9);
        assertTrue(e.table().contains("ensemble (majority vote)"));
    }

    /**
     * Groovy's own list idiom (`def runs = []; runs << a`) is a list of Object to the type checker: compare, ensemble
     * and predictMixed take it (it was a "Cannot call compare(List<PromptTuneRun>) with arguments [List<Object>]"
     * error), and an item that is not a run is named.
     */
    @Test
    void verbsTakeAListBuiltTheGroovyWay() {
        RunComparison c = (RunComparison) run("def runs = []\nruns << " + load(a) + "\nruns << " + load(b) + "\ncompare(runs)");
        assertEquals(2, c.rows().size());
        ScriptError e = assertThrows(ScriptError.class, () -> run("def runs = []\nruns << " + load(a) + "\nruns << 'b'\n"
                + "ensemble(runs)"));
        assertEquals("verbs.groovy:4: ensemble: item 2 of 2 is the text 'b', not a run; allowed: a run (from promptTune, "
                + "sweep.get, load or loadPrompt)", e.getMessage());
    }

    @Test
    void baselineAlone() {
        BaselineResult design = (BaselineResult) run("baseline('design') { model 'tiny'; data 'markers' }");
        assertEquals(a.baselines().get("design"), design.value(), 0.0, "the same baseline as scored next to the run");
        BaselineResult majority = (BaselineResult) run("baseline('majority') { model 'tiny'; data 'markers' }");
        assertEquals(a.baselines().get("majority"), majority.value(), 0.0);
        int loads = session.modelLoads();
        BaselineResult tuned = (BaselineResult) run("baseline('modelTuning') { model 'tiny'; data 'markers'; steps 4; batch 8; evalEvery 2 }");
        assertTrue(tuned.value() >= 0 && tuned.value() <= 1);
        assertEquals(loads + 1, session.modelLoads(), "model tuning trains a fresh copy");
        assertEquals("markers", tuned.task());
    }

    /**
     * A baseline block that sets what no baseline uses (a prompt's length, its learning rate, a record's name) is
     * refused, naming each, before anything is scored; it was ignored, and the value read as if it had counted.
     */
    @Test
    void aBaselineBlockSettingAPromptsKeywordIsRefused() {
        // The kind is computed, so only the run-time check sees it.
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> new Experiments(session)
                .baseline(String.join("", "major", "ity"), s -> s.model("tiny").data("markers").length(5).lr(99).name("x")));
        assertTrue(e.getMessage().startsWith("baseline 'majority' does not use length, lr, name: they are prompt or "
                + "run-record settings"), e.getMessage());
        // Training settings are the modelTuning baseline's own (and harmless to the others): a block shared by all three.
        for (String kind : List.of("design", "majority")) {
            new Experiments(session).baseline(kind, s -> s.model("tiny").data("markers").steps(4).batch(8).seed(3));
        }
    }

    @Test
    void exportAndImportPeft() {
        Path out = tmp.resolve("adapter");
        Path dir = (Path) run("exportPeft(" + load(a) + ", '" + out + "')");
        assertEquals(out, dir);
        PeftAdapter adapter = (PeftAdapter) run("importPeft('" + out + "')");
        assertArrayEquals(a.prompt(), adapter.values());
        assertEquals(8, adapter.length());
        // The adapter starts a new run.
        PromptTuneRun c = (PromptTuneRun) run("promptTune { model 'tiny'; data 'markers'; length 8; init file('" + out
                + "'); steps 1; evalEvery 0; baselines(); save '" + tmp.resolve("runs") + "' }");
        assertEquals("file", c.spec().init().kind());
    }

    @Test
    void nearestTokens() {
        Interpretation i = (Interpretation) run("nearest(" + load(a) + ", 3)");
        assertEquals(8, i.tokens().positions().size());
        for (NearestTokens.Position p : i.tokens().positions()) {
            assertEquals(3, p.ids().length);
        }
        assertEquals(2, i.labels().size(), "a's first two positions started as its labels");
        assertTrue(i.table().startsWith("nearest tokens of a"));
        assertEquals(5, ((Interpretation) run("nearest(" + load(b) + ")")).tokens().positions().get(0).ids().length);
    }

    @Test
    void sweepVerbIsCoveredBySweepTest() {
        assertTrue(PromptTuneScript.COMMANDS.contains("sweep"));
    }
}
