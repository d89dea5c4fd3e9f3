package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a script printed is remembered for its own closing table only: a notebook runs one script per cell on the
 * session's experiments, so a table printed by an earlier cell must neither count for a later one nor stay in memory.
 */
@ExtendWith(HomeExtension.class)
class PrintedResultsTest {

    @Test
    void eachScriptStartsWithNothingPrinted() {
        try (Session session = new Session()) {
            Experiments experiments = new Experiments(session);
            ScriptRunner runner = new ScriptRunner(experiments);
            runner.run("println 'a table\\nof two lines'", "first.groovy");
            assertTrue(experiments.printed().alreadyShown(null, "a table\nof two lines"), "the script's own print");
            runner.run("1 + 1", "second.groovy");
            assertFalse(experiments.printed().alreadyShown(null, "a table\nof two lines"), "kept from the first script");
        }
    }

    /** A result printed inside a text counts as printed (its table came again as the closing table). */
    @Test
    void aResultPrintedInsideATextCountsAsPrinted() {
        Recording recording = new Recording();
        ScriptRunner runner = new ScriptRunner(recording);
        Object value = runner.run("def r = promptTune { model 'tiny'; data 'markers' }\nprintln \"result: $r\"", "gstring.groovy");
        assertTrue(recording.printed().alreadyShown(value, "any closing table"), "a run printed in a GString");
        value = runner.run("def r = promptTune { model 'tiny'; data 'markers' }\nprintln 'result:\\n' + r.table()\n'done'",
                "concat.groovy");
        String table = recording.runs().get(recording.runs().size() - 1).table();
        assertTrue(recording.printed().alreadyShown(value, table), "a run's table printed within a longer text");
        runner.run("def r = promptTune { model 'tiny'; data 'markers' }\nprintln 'no table here'", "plain.groovy");
        assertFalse(recording.printed().alreadyShown(null, table));
    }
}
