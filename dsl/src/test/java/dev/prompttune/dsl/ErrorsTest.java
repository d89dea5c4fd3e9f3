package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per error class: the message, exactly, and the script line it names. All of these fail before the
 * script starts (compile time) except where noted, and never load a model.
 */
@ExtendWith(HomeExtension.class)
class ErrorsTest {

    static Session session;

    @BeforeAll
    static void session() {
        session = new Session();
    }

    @AfterAll
    static void noModelWasLoaded() {
        assertEquals(0, session.modelLoads(), "a model was loaded");
        session.close();
    }

    static ScriptError fail(String script) {
        return assertThrows(ScriptError.class, () -> new ScriptRunner(new Experiments(session)).run(script, "bad.groovy"));
    }

    static void expect(String script, int line, String message) {
        ScriptError e = fail(script);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(message, e.reason());
        assertEquals("bad.groovy:" + line + ": " + message, e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line");
    }

    @Test
    void unknownKeywordSuggestsTheNearest() {
        expect("""
                promptTune {
                    model 'tiny'; data 'markers'
                    lenght 20
                }
                """, 3, "unknown keyword 'lenght' in promptTune { }; did you mean 'length'?");
    }

    @Test
    void unknownKeywordFarFromAnyListsThem() {
        ScriptError e = fail("promptTune {\n  model 'tiny'; data 'markers'\n  colour 'red'\n}\n");
        assertEquals(3, e.line());
        assertTrue(e.reason().startsWith("unknown keyword 'colour' in promptTune { }; known: name, model, length, init"), e.reason());
    }

    @Test
    void aScriptNamedAfterAPrimitiveTypeReadsAsAnyOther() {
        // Such a script's class used to be taken for the type: its block's keywords did not resolve.
        for (String name : java.util.List.of("long", "int", "boolean", "void", "double", "char")) {
            ScriptError e = assertThrows(ScriptError.class, () -> new ScriptRunner(new Experiments(session))
                    .run("promptTune {\n  model 'tiny'; data 'markers'\n  colour 'red'\n}\n", name + ".groovy"));
            assertEquals(name + ".groovy", e.getMessage().substring(0, e.getMessage().indexOf(':')));
            assertEquals(3, e.line(), e.getMessage());
            assertTrue(e.reason().startsWith("unknown keyword 'colour' in promptTune { }"), e.getMessage());
        }
    }

    @Test
    void unknownCommandSuggestsTheNearest() {
        expect("def run = promptTun {\n  data 'markers'\n}\n", 1, "unknown command 'promptTun'; did you mean 'promptTune'?");
    }

    @Test
    void wrongType() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  length '20'\n}\n", 3, "wrong type for 'length': expected int, got String ('20')");
    }

    @Test
    void wrongTypeOfARealNumber() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  batch 2.5\n}\n", 3, "wrong type for 'batch': expected int, got BigDecimal (2.5)");
    }

    @Test
    void outOfRange() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  length 0\n}\n", 3, "length is 0; allowed: length >= 1");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n\n  lr -0.5\n}\n", 4, "lr is -0.5; allowed: lr > 0");
    }

    @Test
    void outOfRangeAtRunTimeNamesTheKeywordLine() {
        // The value is a variable, so the type checker cannot see it; the run fails on the keyword's line.
        expect("def n = 0\npromptTune {\n  model 'tiny'; data 'markers'\n  length n\n}\n", 4, "length is 0; allowed: length >= 1");
    }

    @Test
    void unknownInitListsTheValidOnes() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  init 'labelz'\n}\n", 3,
                "init 'labelz' is not known; allowed: random, vocab, labels, text('…'), file('…')");
    }

    @Test
    void unknownOptimizerListsTheValidOnes() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  optimizer 'sgd'\n}\n", 3,
                "optimizer 'sgd' is not known; allowed: adafactor, adafactor-hf, adamw");
    }

    @Test
    void missingFile() {
        expect("promptTune {\n  model 'tiny'; train 'no/such/train.jsonl'\n}\n", 2, "data file no/such/train.jsonl does not exist");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  init file('no-such-prompt.safetensors')\n}\n", 3,
                "init file: no-such-prompt.safetensors does not exist");
    }

    /** A map of files over several lines: each file's problem on its own line, not the data keyword's. */
    @Test
    void aFilesProblemIsOnTheFilesOwnLine(@TempDir Path dir) throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        String train = markers.resolve("train.jsonl").toString();
        expect("promptTune {\n  model 'tiny'\n  data train: '" + train + "',\n       dev: 'no-such-dev.jsonl'\n}\n", 4,
                "data file no-such-dev.jsonl does not exist");
        // A test file whose rows lack the label field: the file's line, not the block's (the message says "label field").
        List<String> rows = Files.readAllLines(markers.resolve("test.jsonl"));
        Path unlabelled = Files.write(dir.resolve("half.jsonl"), List.of(rows.get(0).replaceAll(",\\s*\"label\"\\s*:\\s*\"[^\"]*\"", ""),
                rows.get(1)));
        ScriptError e = fail("promptTune {\n  model 'tiny'\n  data train: '" + train + "',\n       test: '" + unlabelled + "'\n}\n");
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.reason().contains("has no label field 'label'"), e.getMessage());
    }

    @Test
    void aNameThatCannotNameTheRecordFolderIsRefused() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  name '../../escaped'\n}\n", 3, "name '../../escaped' "
                + "contains a path separator; allowed: up to 200 characters, without / or \\, not starting with a dot (it"
                + " names the run's record folder)");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  name ''\n}\n", 3, "name is empty; allowed: up to 200 "
                + "characters, without / or \\, not starting with a dot (it names the run's record folder)");
    }

    @Test
    void aDataFileThatIsNoFileSaysWhatItIs(@TempDir Path dir) throws IOException {
        expect("promptTune {\n  model 'tiny'; train '" + dir + "'\n}\n", 2, "data file " + dir
                + " is a directory; allowed: a file");
        Path loop = Files.createSymbolicLink(dir.resolve("loop1"), dir.resolve("loop1"));
        expect("promptTune {\n  model 'tiny'; train '" + loop + "'\n}\n", 2, "data file " + loop
                + " is a symbolic link loop; allowed: a file");
    }

    @Test
    void theOnlyOptionOfInitFileIsAnyModel() {
        expect("promptTune {\n  data 'markers'\n  init file('p.safetensors', anyModl: true)\n}\n", 3,
                "init file: option 'anyModl' is not known; did you mean 'anyModel'?; allowed: anyModel: true");
        expect("promptTune {\n  data 'markers'\n  init file('p.safetensors', anyModel: 'yes')\n}\n", 3,
                "init file: anyModel is yes; allowed: true or false");
    }

    @Test
    void unknownModelListsRegisteredOnes() {
        ScriptError e = fail("promptTune {\n  data 'markers'\n  model 't5-maxi'\n}\n");
        assertEquals(3, e.line());
        assertTrue(e.reason().startsWith("model 't5-maxi' is not a registered name, and no directory t5-maxi exists; "
                + "allowed: a registered name [tiny],"), e.reason());
    }

    @Test
    void unknownDatasetListsRegisteredOnes() {
        expect("promptTune {\n  model 'tiny'\n  data 'spamm'\n}\n", 3,
                "data 'spamm' is not a registered task; registered: [markers] (or give train/dev/test files: "
                        + "data train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl')");
        expect("promptTune {\n  model 'tiny'\n  data 'markrs'\n}\n", 3,
                "data 'markrs' is not a registered task; did you mean 'markers'?; registered: [markers] (or give "
                        + "train/dev/test files: data train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl')");
    }

    @Test
    void aDataFolderWithoutTaskJsonIsNamedAsAFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        String dir = tmp.toAbsolutePath().toString();
        expect("promptTune {\n  model 'tiny'\n  data '" + dir + "'\n}\n", 3,
                "data folder " + dir + " has no task.json; allowed: a registered task [markers], a folder with task.json"
                        + " and train/dev/test.jsonl, or files (data train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl')");
    }

    @Test
    void initsFileGivenToModelOrDataSaysWhereItBelongs() {
        expect("promptTune {\n  data 'markers'\n  model file('m')\n}\n", 3,
                "wrong type for 'model': expected String, got PromptInit (this.file(m)); file('…') and text('…') are "
                        + "values of init: give model a path or name as a string, e.g. model '/path/to/it'");
        // Several accepted types, listed in one order on every run (reflection's method order is not fixed).
        expect("promptTune {\n  model 'tiny'\n  data file('d')\n}\n", 3,
                "wrong type for 'data': expected Map or String, got PromptInit (this.file(d)); file('…') and text('…') "
                        + "are values of init: give data a path or name as a string, e.g. data '/path/to/it'");
    }

    @Test
    void missingData() {
        expect("\npromptTune {\n  length 5\n}\n", 2, "data is missing in promptTune { }: give a registered task (data 'spam') "
                + "or files (data train: 'train.jsonl', test: 'test.jsonl'); registered tasks: [markers]");
    }

    @Test
    void syntaxErrorNamesItsLine() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  length 20)\n}\n", 3, "syntax error: ')' has no matching '(' on this line");
    }

    @Test
    void laterErrorsDoNotRunEarlierStatements() {
        // Line 1 would train; the typo on line 2 stops the script before it starts.
        expect("def run = promptTune { model 'tiny'; data 'markers' }\nprintln run.tset\n", 2,
                "PromptTuneRun has no property 'tset'; did you mean 'test'?");
    }

    @Test
    void aScriptFileThatIsNotUtf8IsNamedWithItsLineAndByte(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = tmp.resolve("latin1.groovy");
        java.nio.file.Files.write(file, "// caf\u00e9\npromptTune { }\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var e = assertThrows(dev.prompttune.core.PromptTuneException.class,
                () -> new ScriptRunner(new Experiments(session)).compile(file));
        assertEquals(file + ":1: not valid UTF-8 (byte offset 6); save the file as UTF-8", e.getMessage());

        java.nio.file.Path bom = tmp.resolve("bom.groovy");
        java.nio.file.Files.write(bom, "\uFEFF1 + 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, new ScriptRunner(new Experiments(session)).run(bom), "a UTF-8 byte-order mark is skipped");
    }
}
