package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad scripts, each failing with one line that names the right line, before any model is loaded (the session's
 * load count stays 0 across all of them).
 */
@ExtendWith(HomeExtension.class)
class BadScriptsTest {

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

    /** The script, the line it must name, fragments the message must contain. */
    static Stream<Arguments> scripts() {
        String head = "promptTune {\n    model 'tiny'\n    data 'markers'\n";
        return Stream.of(
                bad(head + "    lenght 20\n}\n", 4, "unknown keyword 'lenght'", "did you mean 'length'?"),
                bad(head + "    steps 10\n    evalevery 5\n}\n", 5, "did you mean 'evalEvery'?"),
                bad(head + "    colour 'red'\n}\n", 4, "unknown keyword 'colour'", "known: name, model"),
                bad(head + "    length '20'\n}\n", 4, "wrong type for 'length'", "expected int", "String"),
                bad(head + "    lr 'fast'\n}\n", 4, "wrong type for 'lr'", "expected double"),
                bad(head + "    sentinel 'yes'\n}\n", 4, "wrong type for 'sentinel'", "boolean"),
                bad(head + "    length 0\n}\n", 4, "length is 0; allowed: length >= 1"),
                bad(head + "    lr -0.1\n}\n", 4, "lr is -0.1; allowed: lr > 0"),
                bad(head + "    batch 0\n}\n", 4, "batch is 0; allowed: batch >= 1"),
                bad(head + "    dropout 1.5\n}\n", 4, "dropout is 1.5", "0 <= dropout < 1"),
                bad(head + "    steps -5\n}\n", 4, "steps is -5"),
                bad(head + "    epochs 0\n}\n", 4, "epochs is 0"),
                bad(head + "    init 'labelz'\n}\n", 4, "init 'labelz' is not known", "random, vocab, labels"),
                bad(head + "    optimizer 'sgd'\n}\n", 4, "optimizer 'sgd' is not known", "adafactor, adafactor-hf, adamw"),
                // Alone, it made an initialiser and dropped it: the run trained from the default init.
                bad(head + "    text 'hello there'\n}\n", 4, "text(…) makes an initialiser and sets nothing on its own; write `init text(…)`"),
                // The block form passed the check and failed when the run started.
                bad(head + "    optimizer('sgd') { lr 0.1 }\n}\n", 4, "optimizer 'sgd' is not known", "adafactor, adafactor-hf, adamw"),
                bad(head + "    precision 'bf16'\n}\n", 4, "precision 'bf16' is not available"),
                bad(head + "    device 'tpu'\n}\n", 4, "device 'tpu' is not known", "auto, cpu, gpu"),
                bad(head + "    placement 'middle'\n}\n", 4, "placement 'middle' is not known", "prefix"),
                bad(head + "    schedule 'cosine'\n}\n", 4, "cosine"),
                bad(head + "    template 'classify: {text'\n}\n", 4, "never closed"),
                bad("promptTune {\n    model 'tiny'\n    train 'nope.jsonl'\n}\n", 3, "data file nope.jsonl does not exist"),
                bad(head + "    init file('missing.safetensors')\n}\n", 4, "init file: missing.safetensors does not exist"),
                bad("promptTune {\n    model 't5-maxi'\n    data 'markers'\n}\n", 2, "model 't5-maxi'", "registered name [tiny]"),
                bad("promptTune {\n    model 'tiny'\n    data 'spamm'\n}\n", 3, "data 'spamm' is not a registered task", "[markers]"),
                bad("promptTune {\n    model 'tiny'\n    data trian: 'x.jsonl'\n}\n", 3, "unknown split 'trian'", "did you mean 'train'?"),
                bad("promptTune {\n    model 'tiny'\n    length 5\n}\n", 1, "data is missing"),
                bad("def r = promptTun {\n    data 'markers'\n}\n", 1, "unknown command 'promptTun'", "did you mean 'promptTune'?"),
                // A keyword outside a block, or in a closure kept in a variable, was "unknown command 'data'".
                bad("def b = {\n    data 'markers'\n}\npromptTune(b)\n", 2, "'data' is a keyword of promptTune { }, used outside a "
                        + "block (a closure kept in a variable", "put the block in a method"),
                bad("length 5\n", 1, "'length' is a keyword of promptTune { }, used outside a block: write it inside"),
                // A sweep over a list kept in a variable: what to write instead (the spread was the checker's own words).
                bad("def sizes = [1, 2]\nsweep {\n    model 'tiny'; data 'markers'\n    length sizes\n}\n", 4,
                        "got List (sizes); a sweep's values are written out in its block (length 1, 5, 20)",
                        "sizes.collect { n -> promptTune { length n; … } }"),
                bad("def sizes = [1, 2]\nsweep {\n    model 'tiny'; data 'markers'\n    length(*sizes)\n}\n", 4,
                        "a spread list (*list) cannot be a call's arguments", "sizes.collect { n -> promptTune {"),
                bad(head + "    optimizer('adamw') {\n        lrr 0.1\n    }\n}\n", 5, "unknown keyword 'lrr' in optimizer { }", "'lr'"),
                bad(head + "    optimizer('adamw') { lr 0 }\n}\n", 4, "lr is 0"),
                bad(head + "    length = 5\n}\n", 4, "write `length 5`"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    length 1, 0, 5\n}\n", 3, "length is 0"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    inits 'random', 'vocab'\n}\n", 3, "did you mean 'init'?"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    maxInputLength 32, 64\n}\n", 3,
                        "'maxInputLength' takes one value (int), got 2: int (32), int (64)",
                        "keywords that take several values here: ", "length", "seed"),
                bad(head + "    length 20, 50\n}\n", 4, "'length' takes one value (int), got 2"),
                bad(head + "    lr 1e400\n}\n", 4, "lr is 1e400: too large for a double (at most 1.8e308 in size)"),
                bad(head + "    steps 99999999999\n}\n", 4, "steps is 99999999999: too large for an int (at most 2147483647 in size)"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    init 'random', 'labelz'\n}\n", 3, "init 'labelz' is not known"),
                bad("def n = 0\n" + head + "    length n\n}\n", 5, "length is 0"),
                bad("def r = promptTune { model 'tiny'; data 'markers' }\nprintln r.tset\n", 2, "no property 'tset'", "did you mean 'test'?"),
                bad("def r = promptTune { model 'tiny'; data 'markers' }\nprintln r.tabel()\n", 2, "no method 'tabel'", "did you mean 'table'?"),
                // name() is a method, not a property: it was "no property 'name'; did you mean 'name'?".
                bad("def r = promptTune { model 'tiny'; data 'markers' }\nprintln r.name\n", 2,
                        "PromptTuneRun has no property 'name'; it is a method: write name()"),
                bad("def r = promptTune { model 'tiny'; data 'markers' }\n\nevaluate 5\n", 3, "wrong type for 'evaluate'"),
                bad("def b = baseline('desing') {\n    model 'tiny'; data 'markers'\n}\n", 1, "baseline 'desing' is not known", "did you mean 'design'?"),
                // A prompt's setting in a baseline block was ignored without a word (model tuning trains at 1e-3).
                bad("def b = baseline('modelTuning') {\n    model 'tiny'; data 'markers'\n    lr 99\n}\n", 3,
                        "baseline 'modelTuning' does not use lr: it is a prompt or run-record setting", "Adafactor at 0.001"),
                // Nested in an `if`: --check said ok and the run refused it at the block's line.
                bad("def b = baseline('design') {\n    model 'tiny'; data 'markers'\n    if (true) {\n        length 5\n    }\n}\n", 4,
                        "baseline 'design' does not use length"),
                bad("promptTune {\n    model 'tiny'\n    data 'markers'\n    length 20\n", 1, "'{' on this line is never closed"),
                bad(head + "    steps 10\n    length 20)\n}\n", 5, "')' has no matching '('"),
                // Groovy reported the block's '{' (line 1) for an expression left open before the block's end.
                bad(head + "    length 5\n    steps 2 +\n}\n", 5, "this line ends with '+' and no value follows it"),
                bad(head + "    labels spam: 'spam',\n}\n", 4, "this line ends with ',' and no value follows it"),
                bad(head + "    length 20 20\n}\n", 4, "unexpected '20' after"),
                // Every bad value of a sweep's list (it named the first only).
                bad("sweep {\n    model 'tiny'\n    data 'markers'\n    length 5, 0, -2\n}\n", 4,
                        "length is 0; allowed: length >= 1 (and -2 in the same list: refused too)"),
                bad("sweep {\n    model 'tiny'\n    data 'markers'\n    init 'rand', 'labels', 'vocb'\n}\n", 4,
                        "init 'rand' is not known", "(and 'vocb' in the same list: refused too)"),
                bad(head + "    seed -1\n}\n", 4, "write `seed(-1)`"),
                bad(head + "    labels([:])\n}\n", 4, "labels is {}"),
                // Found before anything runs, on the template's line (it used to be the block's line, at run time).
                bad(head + "    template 'classify: {txt}'\n    steps 5\n}\n", 4, "txt"),
                bad(head + "    reparam 'mlp'\n}\n", 4, "reparam 'mlp' is not known", "none, residual"),
                bad(head + "    reparamBottleneck 0\n}\n", 4, "reparamBottleneck is 0", "1 <= reparamBottleneck"),
                bad(head + "    batch 100000\n    gradientAccumulation 100\n}\n", 4,
                        "batch 100000 × gradientAccumulation 100 is 10,000,000 examples a step; allowed: at most 1,048,576"),
                bad(head + "    calibrate 'yes'\n}\n", 4, "wrong type for 'calibrate'", "boolean"),
                bad(head + "    calibrate true\n    evaluation 'generate'\n}\n", 4, "calibrate true needs evaluation 'rank'"),
                bad(head + "    loss 'label'\n}\n", 4, "loss 'label' is not known", "sequence, classes"),
                bad(head + "    evaluation 'generate'\n    loss 'classes'\n}\n", 5, "loss 'classes' needs evaluation 'rank'"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    loss 'sequence', 'label'\n}\n", 3, "loss 'label' is not known"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    reparam 'none', 'mlp'\n}\n", 3, "reparam 'mlp' is not known"),
                // Too many arguments for a closure pass the type checker and fail as it runs (that said only
                // "MissingMethodException"); too few are caught by the checker. Both are worded alike.
                bad("def f = { int n -> n }\nf(1, 2)\n", 2, ": the closure takes (int) but is called with (Integer, Integer)"),
                bad("def f = { a, b -> a }\n\nf('x')\n", 3, ": the closure takes (Object, Object) but is called with (String)"),
                // A checked exception of a library call in the script (Groovy does not declare them) was a stack trace.
                bad("import java.nio.file.*\n\nFiles.delete(Path.of('/nonexistent-prompttune/x'))\n", 3,
                        "NoSuchFileException: /nonexistent-prompttune/x"),
                // A recursion without end: the JVM's StackOverflowError has no text of its own.
                bad("Closure f\nf = { n -> f(n + 1) }\nf(1)\n", 2, "StackOverflowError: calls nested too deeply"));
    }

    private static Arguments bad(String script, int line, String... fragments) {
        return Arguments.of(script, line, fragments);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void failsWithOneLineNamingTheLine(String script, int line, String[] fragments) {
        ScriptError e = assertThrows(ScriptError.class, () -> new ScriptRunner(new Experiments(session)).run(script, "bad.groovy"));
        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("bad.groovy:" + line + ": "), message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "'" + f + "' not in: " + message);
        }
    }
}
