package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.StopReason;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting the driver thread while a step's job runs (a notebook's stop button, the command line's Ctrl-C)
 * cancels the run's job group, stopping its running tasks, and the run ends INTERRUPTED with its record.
 */
class InterruptTest {

    @TempDir
    static Path tmp;

    @AfterAll
    static void stop() {
        FaultInjection.plan = null;
        SparkContexts.stop();
    }

    @Test
    void anInterruptCancelsTheStepsJobs() throws Exception {
        TinyRuns world = new TinyRuns(tmp);
        CountDownLatch stepTwoRuns = new CountDownLatch(1);
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        FaultInjection.plan = (step, partition, attempt) -> {
            if (step == 1) {
                stepTwoRuns.countDown();
                try {
                    Thread.sleep(60_000); // a long step: only a cancellation ends it early
                } catch (InterruptedException e) {
                    taskInterrupted.set(true);
                    throw e;
                }
            }
        };
        AtomicReference<PromptTuneRun> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (Session session = new Session()) {
            Thread driver = new Thread(() -> {
                try {
                    result.set(new PromptTuning(session).execute(world.spec().name("stopped").cluster("local[2]").build(), List.of()));
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            driver.start();
            assertTrue(stepTwoRuns.await(60, TimeUnit.SECONDS), "step 2 started");
            long start = System.nanoTime();
            driver.interrupt();
            driver.join(30_000);
            assertTrue(!driver.isAlive(), "the run ended after the interrupt");
            assertEquals(null, error.get());
            assertEquals(StopReason.INTERRUPTED, result.get().stopReason());
            assertEquals(1, result.get().steps());
            assertTrue(result.get().record() != null);
            for (int i = 0; i < 100 && !taskInterrupted.get(); i++) {
                Thread.sleep(100);
            }
            assertTrue(taskInterrupted.get(), "the running task was cancelled");
            assertTrue((System.nanoTime() - start) / 1e9 < 30, "well before the task's 60 s");
        }
    }
}
