package dev.prompttune.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The stop button interrupts the cell's threads, not the background threads of libraries the cell started: a Spark
 * context made in a cell has its scheduler, RPC and executor threads in JShell's execution group (they were created
 * from the cell's thread), and interrupting them broke the context.
 */
class SnippetInterruptTest {

    @Test
    void theCellsThreadsAreInterruptedAndDaemonsStartedFromThemAreNot() throws Exception {
        ThreadGroup exec = new ThreadGroup(InProcessExecutionControl.EXEC_GROUP_NAME);
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean workerInterrupted = new AtomicBoolean();
        AtomicBoolean daemonInterrupted = new AtomicBoolean();
        Thread worker = new Thread(exec, () -> sleepUntilInterrupted(started, workerInterrupted), "cell-worker");
        Thread daemon = new Thread(exec, () -> sleepUntilInterrupted(started, daemonInterrupted), "library-event-loop");
        daemon.setDaemon(true);
        worker.start();
        daemon.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        assertEquals(1, InProcessExecutionControl.interruptSnippetThreads(), "only the cell's own thread");
        worker.join(10_000);
        assertTrue(workerInterrupted.get(), "the cell's thread got the interrupt");
        daemon.join(300);
        assertFalse(daemonInterrupted.get(), "the library's daemon thread did not");
        assertTrue(daemon.isAlive());
        daemon.interrupt();
        daemon.join(10_000);
    }

    private static void sleepUntilInterrupted(CountDownLatch started, AtomicBoolean interrupted) {
        started.countDown();
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            interrupted.set(true);
        }
    }
}
