package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prompttune run} ends with one table: the script's value's, or every run's. A script that prints a result
 * itself ({@code println compare(a, b)}) gets it once, not once from its println and again from the CLI; and
 * {@code println X} as the last statement shows what {@code X} as the last expression does. (The runs here are made
 * without training where the verb allows: the rule is about what is printed, not how the runs were made.)
 */
class ClosingTableTest {

    private static final String COMPARISON = "name                     init";
    private static final String RUN = "prompt tuning: ";
    private static final String GRID = "by length (rows) and init (columns)";
    private static final String TWO_RUNS = """
            def a = promptTune { model 'tiny'; data 'markers'; name 'a' }
            def b = promptTune { model 'tiny'; data 'markers'; name 'b' }
            """;

    @BeforeAll
    static void home() throws Exception {
        CliTest.home();
    }

    /** Experiments whose runs are made up (no model, no training). */
    private static final class MadeUpRuns extends Experiments {

        MadeUpRuns() {
            super((Session) null);
        }

        @Override
        protected PromptTuneRun execute(PromptTuneSpec spec) {
            return new PromptTuneRun(spec, spec.name(), Path.of("runs", spec.name()), "accuracy", 0.5, 0, 0.5, Map.of(), 0,
                    0, 0, 0, 0, StopReason.COMPLETED, new float[0], spec.length(), 0, List.of(), List.of(), List.of());
        }

        @Override
        protected void prepare(PromptTuneSpec spec) {}

        @Override
        protected int modelLoads() {
            return 0;
        }
    }

    /** What {@code prompttune run} prints for this script on standard output. */
    private static String output(String script) {
        String previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", CliTest.home.toString());
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            Experiments experiments = new MadeUpRuns();
            int status = RunCommand.interruptibly(experiments, () -> new ScriptRunner(experiments).run(script, "s.groovy"));
            assertEquals(0, status, script);
        } finally {
            System.setOut(out);
            if (previous == null) {
                System.clearProperty("prompttune.home");
            } else {
                System.setProperty("prompttune.home", previous);
            }
        }
        return o.toString(StandardCharsets.UTF_8);
    }

    /** How often {@code fragment} occurs in {@code text} (also for CliTest). */
    static int count(String text, String fragment) {
        Matcher m = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aPrintedComparisonIsPrintedOnce() {
        String out = output(TWO_RUNS + "println compare(a, b)\n");
        assertEquals(1, count(out, COMPARISON), out);
        // As the last expression, unprinted: the CLI prints it, once.
        out = output(TWO_RUNS + "compare(a, b)\n");
        assertEquals(1, count(out, COMPARISON), out);
    }

    @Test
    void aPrintedRunOrItsTableIsPrintedOnce() {
        for (String last : List.of("println a", "println a.table()", "print a")) {
            String out = output("def a = promptTune { model 'tiny'; data 'markers'; name 'a' }\n" + last + "\n");
            assertEquals(1, count(out, RUN + "a"), last + ":\n" + out);
        }
    }

    @Test
    void aPrintedSweepIsItsGridAloneAsWhenItIsTheValue() {
        String sweep = "sweep { model 'tiny'; data 'markers'; length 1, 2; init 'random', 'labels' }\n";
        String printed = output("println " + sweep);
        assertEquals(1, count(printed, GRID), printed);
        assertEquals(0, count(printed, COMPARISON), "the grid's runs again as a comparison:\n" + printed);
        assertEquals(output(sweep).strip(), printed.strip());
    }

    /** The verbs that need the model, end to end on the tiny one: a printed ensemble or evaluation, and no more. */
    @Test
    void aPrintedEnsembleOrEvaluationIsPrintedOnceWithNoTableOfTheRuns(@TempDir Path tmp) throws Exception {
        String runs = """
                def a = promptTune { model 'tiny'; data 'markers'; name 'a'; length 2; steps 2; batch 4; evalEvery 0; baselines(); save '%1$s' }
                def b = promptTune { model 'tiny'; data 'markers'; name 'b'; length 2; steps 2; batch 4; evalEvery 0; baselines(); save '%1$s' }
                """.formatted(tmp.resolve("runs"));
        CliTest.Result ensemble = CliTest.cli("run", "-q", Files.writeString(tmp.resolve("e.groovy"), runs + "println ensemble(a, b)\n").toString());
        assertEquals(0, ensemble.status(), ensemble.err());
        assertEquals(1, count(ensemble.out(), "ensemble (majority vote)"), ensemble.out());
        assertEquals(0, count(ensemble.out(), COMPARISON), ensemble.out());
        CliTest.Result evaluation = CliTest.cli("run", "-q", Files.writeString(tmp.resolve("v.groovy"), runs + "println evaluate(a)\n").toString());
        assertEquals(0, evaluation.status(), evaluation.err());
        assertEquals(1, count(evaluation.out(), "a: test accuracy"), evaluation.out());
        assertEquals(0, count(evaluation.out(), COMPARISON), evaluation.out());
    }

    @Test
    void theClosingTableStaysWhenTheScriptPrintedNoResult() {
        String out = output(TWO_RUNS + "println 'done: ' + a.name() + ', ' + b.name()\n");
        assertEquals(1, count(out, COMPARISON), out);
        // A printed result does not hide the script's value when that is another result.
        out = output(TWO_RUNS + "println a\ncompare(a, b)\n");
        assertEquals(1, count(out, COMPARISON), out);
        assertEquals(1, count(out, RUN + "a"), out);
        assertTrue(out.indexOf(RUN + "a") < out.indexOf(COMPARISON), out);
    }
}
