package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.promptfile.PromptFile;
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
 * A script with several mistakes gets all of them at once, one {@code SCRIPT:LINE: message} line each, in line
 * order, as a compiler reports them; a missing setting does not hide the others, and nothing is loaded or trained.
 */
@ExtendWith(HomeExtension.class)
class AllErrorsTest {

    Session session;
    Experiments experiments;

    @BeforeEach
    void session() {
        session = new Session();
        experiments = new Experiments(session);
    }

    @AfterEach
    void nothingRan() {
        assertEquals(0, session.modelLoads(), "a model was loaded");
        assertEquals(List.of(), experiments.runs(), "a run was made");
        session.close();
    }

    private List<String> errors(String script) {
        return ScriptErrors.of(experiments, script);
    }

    /** A broken prompt file is reported beside the block's other mistakes: an unknown model, a missing data file. */
    @Test
    void aBrokenInitFileIsReportedBesideTheBlocksOtherMistakes(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.safetensors"), "not a safetensors file");
        List<String> lines = errors("""
                promptTune {
                    model 'no-such-model'
                    data 'markers'
                    init file('%s')
                }
                promptTune {
                    model 'tiny'
                    data train: 'no-such-train.jsonl'
                    init file('%s')
                }
                """.formatted(bad, bad));
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:2: model 'no-such-model'"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:4: " + bad + ": "), lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:8: data file no-such-train.jsonl does not exist"), lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:9: " + bad + ": "), lines.get(3));
    }

    /** `steps -3` is `steps - 3` to Groovy: reported on its line, it no longer stops the block's data checks. */
    @Test
    void aNegatedSettingDoesNotHideATemplateMistake() {
        List<String> lines = errors("""
                promptTune {
                    model 'tiny'
                    data 'markers'
                    template 'review: {txt}'
                    steps -3
                }
                """);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:4: template slot '{txt}' has no field"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:5: "), lines.get(1));
    }

    /**
     * A dev or test file that does not exist stopped the data's checks: the template's slot, checked against the
     * training file, was found only after the file was made.
     */
    @Test
    void aMissingDevOrTestFileDoesNotHideATemplateMistake() throws Exception {
        Path train = HomeExtension.home().resolve("data/tasks/markers/train.jsonl");
        List<String> lines = errors("""
                promptTune {
                    model 'tiny'
                    data train: '%s', dev: 'no-such-dev.jsonl', test: 'no-such-test.jsonl'
                    template 'classify: {txt}'
                }
                sweep {
                    model 'tiny'
                    data train: '%s', test: 'no-such-test.jsonl'
                    length 1, 2
                    labels a: 'good', b: 'good'
                    template 'classify: {txt}'
                }
                """.formatted(train, train));
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals("bad.groovy:3: data file no-such-dev.jsonl does not exist", lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:4: template slot '{txt}' has no field in " + train + ":1"), lines.get(1));
        assertEquals("bad.groovy:8: data file no-such-test.jsonl does not exist", lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:10: "), lines.get(3));
        assertTrue(lines.get(4).startsWith("bad.groovy:11: template slot '{txt}' has no field"), lines.get(4));
    }

    /**
     * A registered task's own template, labels or label field at fault is said to come from its task.json, at the
     * script's data line (it was the block's first line, naming nothing the script shows).
     */
    @Test
    void aTasksOwnSettingAtFaultNamesItsTaskJson(@TempDir Path dir) throws Exception {
        Path home = dev.prompttune.core.testing.TinyWorld.home(dir.resolve("home"));
        Path broken = Files.createDirectories(home.resolve("data/tasks/broken"));
        for (String split : List.of("train", "dev", "test")) {
            Files.copy(home.resolve("data/tasks/markers/" + split + ".jsonl"), broken.resolve(split + ".jsonl"));
        }
        Files.writeString(broken.resolve("task.json"), "{\"template\": \"say: {txt}\", \"verbalizer\": {\"a\": \"good\", \"b\": \"never\"}}");
        String previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", home.toString());
        try {
            List<String> lines = errors("""
                    promptTune {
                        model 'tiny'
                        data 'broken'
                    }
                    """);
            assertEquals(1, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(0).startsWith("bad.groovy:3: template slot '{txt}' has no field"), lines.get(0));
            assertTrue(lines.get(0).endsWith("(the template of task 'broken', set in " + broken.resolve("task.json") + ")"),
                    lines.get(0));
        } finally {
            System.setProperty("prompttune.home", previous);
        }
    }

    @Test
    void aMissingDataDoesNotHideATypo() {
        List<String> lines = errors("""
                promptTune {
                    model 'tiny'
                    steps 3
                    lenght 20
                }
                """);
        assertEquals(List.of(
                "bad.groovy:1: data is missing in promptTune { }: give a registered task (data 'spam') or files (data train:"
                        + " 'train.jsonl', test: 'test.jsonl'); registered tasks: [markers]",
                "bad.groovy:4: unknown keyword 'lenght' in promptTune { }; did you mean 'length'?"), lines);
    }

    /**
     * Settings that contradict each other are each reported at their lines, beside a missing data and each other (the
     * first one found hid the rest: the user fixed one and met the next).
     */
    @Test
    void settingsThatContradictEachOtherAreEachReportedBesideAMissingData() {
        List<String> lines = errors("""
                promptTune {
                    model 'tiny'
                    evaluation 'generate'
                    loss 'classes'
                    calibrate true
                    batch 100000
                    gradientAccumulation 100000
                }
                """);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:1: data is missing in promptTune { }"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:4: loss 'classes' needs evaluation 'rank'"), lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:5: calibrate true needs evaluation 'rank'"), lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:6: batch 100000 × gradientAccumulation 100000 is"), lines.get(3));
    }

    /** An untyped closure parameter given to a keyword is refused with how to type it (Groovy would run it). */
    @Test
    void anUntypedClosureParameterIsRefusedWithHowToTypeIt() {
        List<String> lines = errors("""
                def f = { y ->
                    promptTune { model 'tiny'; data 'markers'; length y }
                }
                f(4)
                """);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:2: wrong type for 'length': expected int, got Object (y); its type "
                + "is not known before the script runs: declare it where it is given, e.g. { int y -> … }"), lines.get(0));
    }

    @Test
    void everyMistakeOfEveryBlockInLineOrder() {
        List<String> lines = errors("""
                def first = promptTune {
                    model 'tiny'
                    data 'markers'
                    batch 0
                    init 'labelz'
                }
                def grid = sweep {
                    model 'tiny'
                    length 1, 0
                    lr 'fast'
                }
                def r = promptTun {
                    data 'markers'
                }
                """);
        String[] expected = {
            "bad.groovy:4: batch is 0; allowed: batch >= 1",
            "bad.groovy:5: init 'labelz' is not known",
            "bad.groovy:7: data is missing in sweep { }",
            "bad.groovy:9: length is 0; allowed: length >= 1",
            "bad.groovy:10: wrong type for 'lr'",
            "bad.groovy:12: unknown command 'promptTun'; did you mean 'promptTune'?",
        };
        // One line per mistake, in line order: the keywords inside the misspelt verb's block are not reported as
        // unknown commands of their own.
        assertEquals(expected.length, lines.size(), String.join("\n", lines));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(lines.get(i).startsWith(expected[i]), "line " + i + " of:\n" + String.join("\n", lines));
        }
    }

    @Test
    void settingsThatDoNotFitTheDataAreFoundBeforeAnEarlierBlockTrains() {
        // Each keyword is fine alone; the template names a field the task lacks. Before, the first block trained
        // and only then did the second fail.
        List<String> lines = errors("""
                def a = promptTune {
                    model 'tiny'; data 'markers'; length 2; steps 2; evalEvery 0
                }
                def b = promptTune {
                    model 'tiny'; data 'markers'
                    template 'classify: {txt}'
                    lenght 3
                }
                """);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:6: template slot '{txt}' has no field"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:7: unknown keyword 'lenght'"), lines.get(1));

        lines = errors("""
                def a = promptTune {
                    model 'tiny'; data 'markers'; length 2; steps 2; evalEvery 0
                }
                def b = promptTune {
                    model 'tiny'; data 'markers'
                    template 'classify: {txt}'
                    optimizer('adamw') { lr 0.01 }
                }
                """);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:6: template slot '{txt}' has no field"), lines.get(0));
    }

    @Test
    void aSweepPointThatDoesNotFitTheDataIsFoundAtCompileTime() {
        List<String> lines = errors("""
                def first = promptTune { model 'tiny'; data 'markers'; length 2; steps 2; evalEvery 0 }
                def grid = sweep {
                    model 'tiny'; data 'markers'; steps 2
                    template 'classify: {text}', 'classify: {body}'
                }
                """);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:4: template slot '{body}' has no field"), lines.get(0));
    }

    @Test
    void aProblemOfTheDataPointsAtTheKeywordThatCausesIt() {
        List<String> lines = errors("""
                def a = promptTune {
                    model 'tiny'
                    data 'markers'
                    labels a: 'good'
                    steps 2
                }
                """);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:4: unknown label 'b'"), lines.get(0));
    }

    /**
     * Problems found in files the settings name (a prompt file too short for the length, a model's config.json) and
     * a batch or prompt length that cannot fit in memory: every block's, each at the line of the setting that causes
     * it. Before, the first two stopped the check (or waited for run time, at the block's first line) and the memory
     * bound was only found by the run.
     */
    @Test
    void problemsOfFilesAndMemoryPointAtTheirSettingsInEveryBlock(@TempDir Path tmp) throws Exception {
        Path prompt = PromptFile.save(tmp, "five", new float[5 * 32], 5, 32, null);
        Path model = Files.createDirectory(tmp.resolve("buckets0"));
        Path tiny = HomeExtension.home().resolve("models/tiny");
        try (java.util.stream.Stream<Path> files = Files.list(tiny)) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        Path config = model.resolve("config.json");
        // A batch holds at most the 200 training examples: a prompt long enough that one example takes about a
        // twentieth of the memory available (within a cgroup's limit, as the check reads it) (its encoder attention, 2 layers × 4 heads × T² floats), so 200 cannot fit.
        long available = dev.prompttune.core.run.AvailableMemory.now().orElseThrow().bytes(); // as the check reads it
        long longPrompt = (long) Math.sqrt(available / 20.0 / (4 * 2 * 4));
        com.google.gson.JsonObject c = com.google.gson.JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        c.addProperty("relative_attention_num_buckets", 0);
        Files.writeString(config, c.toString());
        List<String> lines = errors("""
                def a = promptTune {
                    model 'tiny'; data 'markers'
                    init file('%s')
                    length 7
                }
                def b = promptTune {
                    data 'markers'
                    model '%s'
                }
                def c = sweep {
                    model 'tiny'; data 'markers'
                    length 2, 100000000
                }
                def d = promptTune {
                    model 'tiny'; data 'markers'
                    batch 1000000; length %d
                }
                """.formatted(prompt, model, longPrompt));
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:3: init file " + prompt + ": holds 5 prompt vectors but the prompt "
                + "needs 7; allowed: length 1 to 5"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:8: " + config + ": 'relative_attention_num_buckets' is 0"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:12: length is 100000000: one training step needs at least"),
                lines.get(2));
        // The evaluation batch (evalBatch 64, the default: the block's line) does not fit that prompt either; following
        // the batch's advice alone met it.
        assertTrue(lines.get(3).startsWith("bad.groovy:14: evalBatch is 64: one evaluation batch needs at least"),
                lines.get(3));
        assertTrue(lines.get(4).startsWith("bad.groovy:16: batch is 1000000: one training step needs at least"),
                lines.get(4));
    }

    /** Values of the wrong type, in the script's terms (the type checker named Java classes and packages). */
    @Test
    void valuesOfTheWrongTypeAreNamedWithoutJava() {
        List<String> lines = errors("""
                def s = sweep {
                    model 'tiny'; data 'markers'
                    length 1, 'x', 3
                }
                def p = promptTune {
                    model 'tiny'; data 'markers'
                    labels a: [1], b: 2
                }
                """);
        assertEquals(List.of(
                "bad.groovy:3: keyword 'length' cannot take (int, String, int); allowed: (int, int...)",
                "bad.groovy:7: labels: label 'a' is given [1], a list; allowed: a target text, e.g. labels spam: 'spam', "
                        + "ham: 'normal'"),
                lines);
    }

    /**
     * Calls the type checker cannot match, in the script's terms: it named Object#call, a method the script never wrote,
     * for a closure calling itself through its def variable, and Java classes for the rest.
     */
    @Test
    void callsTheCheckerCannotMatchAreNamedAsWritten() {
        List<String> lines = errors("""
                def f
                f = { n -> f(n + 1) }
                def m = null
                m.foo()
                def x = 5
                x(1)
                def s = 'a'
                s.fooBar(2, 'b')
                def g = { int n -> n }
                g('a')
                def h = { k -> k(1) }
                def r = { n -> n > 0 ? r(n - 1) : 0 }
                """);
        assertEquals(List.of(
                "bad.groovy:2: f(…) cannot be checked: f is not known to hold a closure here (a def variable declared"
                        + " without a value, used inside the closure assigned to it, or an untyped closure parameter);"
                        + " declare it Closure f (e.g. Closure f; f = { n -> … }) to call it by name",
                "bad.groovy:4: m.foo(…) cannot be checked: m has no known type here (a def variable with no value or null,"
                        + " or an untyped closure parameter); give it a value first, or declare its type",
                "bad.groovy:6: x holds an Integer, not a closure: it cannot be called as x(int)",
                "bad.groovy:8: s is a String, which has no method 'fooBar' taking (int, String)",
                "bad.groovy:10: the closure takes (int) but is called with (String)",
                "bad.groovy:11: k(…) cannot be checked: k is not known to hold a closure here (a def variable declared"
                        + " without a value, used inside the closure assigned to it, or an untyped closure parameter);"
                        + " declare it Closure k (e.g. Closure k; k = { n -> … }) to call it by name",
                "bad.groovy:12: r(…) is called inside the value that declares r (def r = { … }), where r is not defined"
                        + " yet; declare it first, then assign: Closure r; r = { n -> … }"),
                lines);
    }

    @Test
    void aKeywordWrittenAsALabelIsReportedOnItsLine() {
        List<String> lines = errors("""
                promptTune {
                    model 'tiny'
                    data: 'markers'
                    lenght 2
                }
                """);
        assertEquals(List.of(
                "bad.groovy:3: write `data …` without the colon: `data:` is a Groovy label and sets nothing",
                "bad.groovy:4: unknown keyword 'lenght' in promptTune { }; did you mean 'length'?"), lines);
    }

    @Test
    void aStringNeverClosedIsNamed() {
        List<String> lines = errors("promptTune {\n    model 'tiny'\n    data 'markers\n    length 2\n}\n");
        assertEquals(List.of("bad.groovy:3: syntax error: a string opened on this line is never closed (a closing quote is missing)"),
                lines);
    }

    /**
     * A verb called with a wrong value is one mistake: its block's keywords are not reported again as unknown
     * commands (they were, once per keyword, because the block then belonged to no verb).
     */
    @Test
    void aVerbCalledWronglyIsReportedOnceNotOncePerKeywordOfItsBlock() {
        List<String> lines = errors("def kind = 5\nbaseline(kind) {\n    model 'tiny'; data 'markers'\n}\n");
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:2: wrong type for 'baseline'"), lines.get(0));
    }

    /**
     * A bad model name, a template slot the data lacks and labels that collide are three mistakes, each reported: the
     * data's checks ran only when the model's setting had not failed, and stopped at their first problem (the
     * labels' problem hid the template's, and the other way round).
     */
    @Test
    void theDatasOwnProblemsAreReportedBesideTheModelsAndEachOthers() {
        List<String> lines = errors("""
                promptTune {
                    model 'no-such-model'
                    data 'markers'
                    template 'x: {nosuch}'
                    labels a: 'same', b: 'same'
                }
                promptTune {
                    model 'tiny'
                    data 'markers'
                    template 'x: {nosuch}'
                    labels a: 'one', zzz: 'two'
                }
                promptTune {
                    model 'tiny'
                    data 'markers'
                    template 'x: {nosuch}'
                    labels a: 'one', b: ' one'
                }
                """);
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(5).startsWith("bad.groovy:16: template slot '{nosuch}' has no field"), lines.get(5));
        // The label words' tokens, found once the template's problem no longer stops the checks.
        assertTrue(lines.get(6).startsWith("bad.groovy:17: the verbalizer words 'one' (label 'a') and ' one' (label 'b') "
                + "become the same tokens"), lines.get(6));
        assertTrue(lines.get(0).startsWith("bad.groovy:2: model 'no-such-model' is not a registered name"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bad.groovy:4: template slot '{nosuch}' has no field"), lines.get(1));
        assertTrue(lines.get(2).startsWith("bad.groovy:5: the verbalizer maps both 'a' and 'b' to 'same'"), lines.get(2));
        assertTrue(lines.get(3).startsWith("bad.groovy:10: template slot '{nosuch}' has no field"), lines.get(3));
        assertTrue(lines.get(4).startsWith("bad.groovy:11: unknown label 'b'"), lines.get(4));
    }

    /**
     * A labels map in Groovy's own forms is read as text: an interpolated string (it failed with a ClassCastException
     * stack trace, exit 1, after the check said ok), a number, a map filled after `def m = [:]` (a raw type error,
     * and read as the empty literal), and a null target is named.
     */
    @Test
    void labelsInGroovysOwnFormsAreReadAsText() {
        List<String> lines = errors("""
                def x = 'ne'
                def m = [:]
                m.a = 'city'; m.b = 'weather'
                promptTune { model 'tiny'; data 'markers'; labels((Map) [a: "no${x}", b: 'more']); template 'x: {nosuch}' }
                promptTune { model 'tiny'; data 'markers'; labels a: "no${x}", b: 7; template 'x: {nosuch}' }
                promptTune { model 'tiny'; data 'markers'; labels m; template 'x: {nosuch}' }
                promptTune { model 'tiny'; data 'markers'; labels a: null, b: 'x' }
                """);
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith("bad.groovy:" + (4 + i) + ": template slot '{nosuch}' has no field"), lines.get(i));
        }
        assertEquals("bad.groovy:7: labels: label 'a' is given null; allowed: a target text, e.g. labels spam: 'spam', "
                + "ham: 'normal'", lines.get(3));
    }

    /**
     * A sweep point whose prompt file is shorter than its length is found by the check: the points were checked once
     * per data and init, whatever their length, and the run failed at the point, after the others had trained.
     */
    @Test
    void aSweepPointWhosePromptFileIsTooShortIsFound(@TempDir Path tmp) throws Exception {
        Path prompt = PromptFile.save(tmp, "four", new float[4 * 32], 4, 32, null);
        List<String> lines = errors("""
                sweep {
                    model 'tiny'; data 'markers'; steps 1
                    init 'random', file('%s')
                    length 4, 8
                }
                """.formatted(prompt));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("bad.groovy:3: init file " + prompt + ": holds 4 prompt vectors but the prompt "
                + "needs 8"), lines.get(0));
    }
}
