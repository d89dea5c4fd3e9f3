package dev.prompttune.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while {@code prompttune run} works. The first signal interrupts the script's thread:
 * the same path as a notebook's stop button, so the trainer stops at the next step boundary, keeps the best prompt,
 * scores it and writes the whole record marked INTERRUPTED, and no later run starts. The command then exits with
 * 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. A second signal exits at once with the same code; a
 * file being written then is left out, never half-written (AtomicFiles deletes its temp file on the way out).
 */
final class Interrupts implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final Thread worker;
    private final PrintStream err;
    private final List<Runnable> restore = new ArrayList<>();
    private volatile Signal received;

    private Interrupts(Thread worker, PrintStream err) {
        this.worker = worker;
        this.err = err;
    }

    /** Handles SIGINT and SIGTERM for {@code worker} until {@link #close}. */
    static Interrupts install(Thread worker, PrintStream err) {
        Interrupts interrupts = new Interrupts(worker, err);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, interrupts::handle);
                interrupts.restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps this signal (java -Xrs): it then ends the process as it always does
            }
        }
        return interrupts;
    }

    private synchronized void handle(Signal signal) {
        if (received != null) {
            err.println("prompttune: SIG" + signal.getName() + " again: aborting now; the current run's record stays incomplete");
            // Not Runtime.exit: its C exit() runs libtorch's destructors while the worker may be inside libtorch (a
            // JVM crash, seen with SIGTERM mid-step). ProcessExit removes temp files and ends without destructors.
            dev.prompttune.core.run.ProcessExit.now(128 + signal.getNumber());
            return;
        }
        received = signal;
        // On a terminal the progress line is being redrawn in place: start a line of our own.
        err.println((System.console() != null ? "\n" : "") + "prompttune: SIG" + signal.getName() + ": stopping at the next step, then scoring the best prompt and "
                + "writing the record (Ctrl-C again aborts at once)");
        worker.interrupt();
    }

    /** Whether a signal arrived. */
    boolean received() {
        return received != null;
    }

    /** {@code SIGINT} or {@code SIGTERM}. */
    String signalName() {
        return "SIG" + received.getName();
    }

    /** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        return 128 + received.getNumber();
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
        Thread.interrupted(); // a signal that came after the work ended must not leak into the caller
    }
}
