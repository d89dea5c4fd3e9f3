package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import org.junit.jupiter.api.Test;

/**
 * What a script printed is remembered for its own closing table only: a notebook runs one script per cell on the
 * session's experiments, so a table printed by an earlier cell must neither count for a later one nor stay in memory.
 */
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
}
