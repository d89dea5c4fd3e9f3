package dev.prompttune.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParentWatcherTest {

    @Test
    void firesWhenTheWatchedProcessDies() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        CountDownLatch died = new CountDownLatch(1);
        try {
            assertTrue(ParentWatcher.watch(p.pid(), 50, died::countDown));
            assertFalse(died.await(300, TimeUnit.MILLISECONDS), "fired while the process was alive");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(died.await(5, TimeUnit.SECONDS), "did not notice the process died");
    }

    @Test
    void firesAtOnceForAPidThatIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        CountDownLatch died = new CountDownLatch(1);
        ParentWatcher.watch(p.pid(), 50, died::countDown);
        assertTrue(died.await(5, TimeUnit.SECONDS));
    }

    @Test
    void neverWatchesItself() {
        assertFalse(ParentWatcher.watch(ProcessHandle.current().pid(), 50, () -> { }));
    }
}
