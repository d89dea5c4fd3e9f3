package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program started outside the checkout without {@code -Dprompttune.home} finds no tasks or models: the messages
 * said "registered tasks: []"; they say where they looked and how to give the home.
 */
class HomeNotFoundTest {

    @Test
    void noRegisteredNamesSayWhereTheyWereLookedFor(@TempDir Path empty) {
        String previous = System.getProperty("prompttune.home");
        System.setProperty("prompttune.home", empty.toString());
        try {
            PromptTuneException task = assertThrows(PromptTuneException.class, () -> TaskResolver.resolve("spam"));
            assertTrue(task.getMessage().contains("[] (no tasks in " + empty.resolve("data/tasks") + ": the prompttune home is "
                    + empty + "; give the checkout with -Dprompttune.home=DIR or PROMPTTUNE_HOME)"), task.getMessage());
            PromptTuneException model = assertThrows(PromptTuneException.class, () -> ModelResolver.resolve("t5-mini-ppmi"));
            assertTrue(model.getMessage().contains("(no models in " + empty.resolve("models")), model.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("prompttune.home");
            } else {
                System.setProperty("prompttune.home", previous);
            }
        }
    }
}
