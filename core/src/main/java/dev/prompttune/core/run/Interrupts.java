package dev.prompttune.core.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP while a long job works ({@code prompttune run}, a model build). The first signal
 * interrupts the job's thread: the same path as a notebook's stop button, so the trainer stops at the next step
 * boundary and the job keeps what it has (a run scores its best prompt and writes its whole record marked
 * INTERRUPTED; a build writes its phase's checkpoint). The command then exits with 128 + the signal's number: 130 for
 * SIGINT, 143 for SIGTERM, 129 for SIGHUP. A second signal exits at once with the same code; a file being written then is left out,
 * never half-written (AtomicFiles deletes its temp file on the way out).
 */
public final class Interrupts implements AutoCloseable {

    /**
     * Ctrl-C, {@code kill}, and the hang-up of a closed terminal (a run over ssh whose connection dropped). A signal
     * the process started with ignored ({@code nohup} for HUP, a background job for INT) stays ignored: the JVM
     * installs no handler for it.
     */
    static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    /**
     * Milliseconds after the first signal within which another one is taken as the same request (see the class
     * comment). A person who reads "Ctrl-C again aborts at once" and presses it again is well outside it.
     */
    public static final long SAME_EVENT_MS = 500;

    private final Thread worker;
    private final PrintStream err;
    private final String command;
    private final String stopping;
    private final String abortLeaves;
    private final List<Runnable> restore = new ArrayList<>();
    private volatile Signal received;
    private long receivedAtNanos;

    private Interrupts(Thread worker, PrintStream err, String command, String stopping, String abortLeaves) {
        this.worker = worker;
        this.err = err;
        this.command = command;
        this.stopping = stopping;
        this.abortLeaves = abortLeaves;
    }

    /** {@code prompttune run}'s: the run scores its best prompt and writes its record. */
    public static Interrupts install(Thread worker, PrintStream err) {
        // Said for a script between runs too (its own Groovy code stops at once): "the next step" is a run's.
        return install(worker, err, "prompttune", "stopping the script; a run in progress stops at its next step, scores "
                + "its best prompt and writes its record", "a run in progress leaves its record incomplete (resume "
                + "continues it)");
    }

    /** {@code prompttune resume}'s: one run, no script around it. */
    public static Interrupts installForOneRun(Thread worker, PrintStream err) {
        return install(worker, err, "prompttune", "stopping the run at its next step; it scores its best prompt and "
                + "writes its record", "the run leaves its record incomplete (resume continues it)");
    }

    /**
     * Handles {@link #SIGNALS} for {@code worker} until {@link #close}.
     *
     * @param command the message prefix ("prompttune", "pretrain")
     * @param stopping what the first signal does, for the message
     * @param abortLeaves what a second signal leaves behind, for the message
     */
    public static Interrupts install(Thread worker, PrintStream err, String command, String stopping, String abortLeaves) {
        Interrupts interrupts = new Interrupts(worker, err, command, stopping, abortLeaves);
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

    /**
     * For work that writes nothing ({@code prompttune eval}): the first signal ends the process at once with 128 + the
     * signal's number, saying so (it ended without a word).
     *
     * @param command the message prefix ("prompttune eval")
     */
    public static Interrupts installEndingAtOnce(PrintStream err, String command) {
        return install(null, err, command, "stopped; it writes no file, so nothing is lost", null);
    }

    private synchronized void handle(Signal signal) {
        if (worker == null) {
            err.println((System.console() != null ? "\n" : "") + command + ": SIG" + signal.getName() + ": " + stopping
                    + "; exit " + (128 + signal.getNumber()));
            ProcessExit.now(128 + signal.getNumber());
            return;
        }
        if (received != null) {
            if (System.nanoTime() - receivedAtNanos < SAME_EVENT_MS * 1_000_000L) {
                return; // the first request, delivered again (timeout's process group, a forwarding launcher)
            }
            err.println(command + ": SIG" + signal.getName() + " again: aborting now; " + abortLeaves);
            // Not Runtime.exit: its C exit() runs libtorch's destructors while the worker may be inside libtorch (a
            // JVM crash, seen with SIGTERM mid-step). ProcessExit removes temp files and ends without destructors.
            ProcessExit.now(128 + signal.getNumber());
            return;
        }
        received = signal;
        receivedAtNanos = System.nanoTime();
        // On a terminal the progress line is being redrawn in place: start a line of our own.
        // The same signal again aborts (a second SIGTERM from a supervisor, not only a second Ctrl-C).
        String again = signal.getName().equals("INT") ? "Ctrl-C again" : "SIG" + signal.getName() + " or Ctrl-C again";
        err.println((System.console() != null ? "\n" : "") + command + ": SIG" + signal.getName() + ": " + stopping
                + " (" + again + " aborts at once)");
        worker.interrupt();
    }

    /**
     * Sets the worker's interrupt flag again when a signal has come: library code the worker ran since (a compiler's
     * cold start) may have cleared it, and the stop would be lost. Harmless when no signal came.
     */
    public void reassert() {
        if (received != null) {
            worker.interrupt();
        }
    }

    /** Whether a signal arrived. */
    public boolean received() {
        return received != null;
    }

    /** {@code SIGINT}, {@code SIGTERM} or {@code SIGHUP}. */
    public String signalName() {
        return "SIG" + received.getName();
    }

    /** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
    public int exitCode() {
        return 128 + received.getNumber();
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
        Thread.interrupted(); // a signal that came after the work ended must not leak into the caller
    }
}
