package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed session refuses work in words (DJL's "NDManager has been closed already" came from deep inside the call),
 * and a model its user closed is loaded again rather than handed out released.
 */
class ClosedSessionTest {

    @TempDir
    Path tmp;

    @Test
    void aClosedSessionSaysSo() throws Exception {
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        Session session = new Session();
        session.model(model, "fp32", "cpu");
        session.close();
        for (Executable call : new Executable[] {
            () -> session.model(model, "fp32", "cpu"), () -> session.tokenizer(model), session::manager,
            () -> session.freshModel(model, "fp32", "cpu")}) {
            PromptTuneException e = assertThrows(PromptTuneException.class, call);
            assertTrue(e.getMessage().startsWith("the session is closed"), e.getMessage());
            assertTrue(e.getMessage().contains("allowed: a new session"), e.getMessage());
        }
    }

    @Test
    void aModelClosedByItsUserIsLoadedAgain() throws Exception {
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        try (Session session = new Session()) {
            T5Model first = session.model(model, "fp32", "cpu");
            first.close();
            assertTrue(first.isClosed());
            T5Model again = session.model(model, "fp32", "cpu");
            assertNotSame(first, again);
            assertFalse(again.isClosed());
            assertEquals(2, session.modelLoads());
        }
    }
}
