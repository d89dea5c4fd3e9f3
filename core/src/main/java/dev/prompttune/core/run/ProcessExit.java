package dev.prompttune.core.run;

import dev.prompttune.core.io.AtomicFiles;
import sun.misc.Signal;

/**
 * Ends the process at once, without the C library's exit handlers.
 *
 * <p>Why: a JVM exit ({@code System.exit}, {@code Runtime.halt}, or the default SIGTERM/SIGINT handling) ends in C's
 * {@code exit()}, which runs libtorch's static destructors while another thread may still be inside libtorch. Measured:
 * a SIGTERM during a training step crashed the JVM with SIGSEGV in {@code at::accelerator::getAccelerator}, the main
 * thread inside {@code torchBackward} ("A fatal error has been detected by the Java Runtime Environment"). {@link #now}
 * removes the temp files being written (as the exit's shutdown hook would), flushes standard output and error, and
 * calls {@code _exit}, which runs no destructors. Where libc cannot be reached it falls back to {@code Runtime.halt}.
 */
public final class ProcessExit {

    private ProcessExit() {}

    /** Ends the process with {@code status}; never returns. */
    public static void now(int status) {
        AtomicFiles.abandonInFlight();
        System.out.flush();
        System.err.flush();
        try {
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("_exit").invokeVoid(new Object[] {status});
        } catch (Throwable noLibc) {
            // not glibc/musl, or JNA missing: the JVM's own halt (runs C exit handlers, but no Java hooks)
        }
        Runtime.getRuntime().halt(status);
    }

    /**
     * SIGINT, SIGTERM and SIGHUP ({@link Interrupts#SIGNALS}) end this process at once ({@link #now}, status 128 + the signal's number) instead of through
     * the JVM's exit: for long batch jobs outside the work that {@link Interrupts} stops with its state saved (a
     * model build before and after its training phases).
     */
    public static void onSignals() {
        for (String name : Interrupts.SIGNALS) {
            try {
                Signal.handle(new Signal(name), s -> now(128 + s.getNumber()));
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps this signal (java -Xrs)
            }
        }
    }
}
