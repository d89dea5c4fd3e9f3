package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook trains run after run on one session (one loaded model), each cell on a new thread (JShell's): every
 * run must work, not only the first. (PyTorch's grad mode is per thread and on by default in a new thread.)
 */
@ExtendWith(HomeExtension.class)
class RepeatedRunsTest {

    @TempDir
    Path tmp;

    @Test
    void severalLabelInitialisedRunsShareOneSession() throws InterruptedException {
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            for (int i = 0; i < 3; i++) {
                int steps = 10 + 10 * i;
                PromptTuneRun[] run = new PromptTuneRun[1];
                Throwable[] failure = new Throwable[1];
                Thread cell = new Thread(() -> {
                    try {
                        run[0] = ex.promptTune(s -> s.model("tiny").data("markers").length(4).init("labels")
                                .steps(steps).batch(8).evalEvery(5).save(tmp.toString()));
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                }, "cell-" + i);
                cell.start();
                cell.join();
                if (failure[0] != null) {
                    throw new AssertionError("run " + i + " failed on a new thread", failure[0]);
                }
                assertEquals(steps, run[0].steps());
            }
            assertEquals(1, session.modelLoads());
        }
    }
}
