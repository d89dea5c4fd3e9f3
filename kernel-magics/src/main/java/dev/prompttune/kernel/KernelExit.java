package dev.prompttune.kernel;

import dev.prompttune.core.run.ProcessExit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * How the kernel process ends, whatever ends it (a shutdown request, SIGTERM, the client's death): the running cell is
 * interrupted and given up to {@link #CELL_GRACE} to finish — a training run stops at its next step, keeps its best
 * prompt and writes its record, as on the interrupt button — and then the process ends through
 * {@link ProcessExit#now}, not the JVM's exit.
 *
 * <p>Why not {@code System.exit}: it ends in C's {@code exit()}, whose libtorch static destructors crashed a JVM whose
 * training thread was still inside libtorch (SIGSEGV in {@code at::accelerator::getAccelerator}); and the JVM's own
 * SIGTERM handling exits at once, so a kernel stopped mid-training lost the run's prompt and summary.
 * {@code ProcessExit.now} runs no C exit handlers, so ending after the grace is safe even if the cell is still in
 * native code.
 */
final class KernelExit {

    /**
     * How long a running cell gets to finish once the kernel is told to end. Jupyter itself sends SIGKILL a few
     * seconds after its SIGTERM ({@code shutdown_wait_time}, 5 s by default), which no grace can outlast; other
     * senders (a container stop, {@code kill}) usually wait longer. A run that has evaluated keeps its checkpoint even
     * then.
     */
    static final Duration CELL_GRACE = Duration.ofSeconds(30);

    private static final AtomicBoolean ENDING = new AtomicBoolean();

    private KernelExit() {
    }

    /**
     * Interrupts the kernel's running cell (if any), waits up to {@link #CELL_GRACE} for it to end, then ends the
     * process with {@code status}. {@code kernel} may be null (ended before it was built). Never returns.
     */
    static void afterCell(PromptTuneKernel kernel, int status) {
        if (kernel != null) {
            kernel.interrupt();
            if (!kernel.awaitIdle(CELL_GRACE)) {
                System.err.println("prompttune kernel: the running cell did not stop within " + CELL_GRACE.toSeconds()
                        + " s; ending anyway");
            }
        }
        ProcessExit.now(status);
    }

    /**
     * SIGTERM ends the kernel through {@link #afterCell} (status 143), on a thread of its own; a second SIGTERM while
     * the first waits ends it at once.
     */
    static void onSigterm(AtomicReference<PromptTuneKernel> kernel) {
        try {
            Signal.handle(new Signal("TERM"), sig -> {
                if (!ENDING.compareAndSet(false, true)) {
                    ProcessExit.now(128 + sig.getNumber());
                }
                System.err.println("prompttune kernel: SIGTERM; stopping the running cell, then exiting");
                Thread t = new Thread(() -> afterCell(kernel.get(), 128 + sig.getNumber()), "prompttune-sigterm");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException reserved) { // java -Xrs: the JVM keeps SIGTERM
            System.err.println("prompttune kernel: no SIGTERM handler: " + reserved.getMessage());
        }
    }
}
