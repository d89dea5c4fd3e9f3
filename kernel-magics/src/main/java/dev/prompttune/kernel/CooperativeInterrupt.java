package dev.prompttune.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Long library work that reacts to interrupts itself (a training run: stop at the next step, keep the best prompt,
 * write the record, score it) runs inside {@link #run}. While it does, the prompttune kernel interrupts the cell's
 * thread once and then waits for it (up to {@code -Dprompttune.kernel.cooperativeGraceMs}, default 10 min) instead
 * of force-stopping it after the usual 2 s, which would kill the save. When the work reports
 * {@link #markHandled()}, the interrupted cell ends normally and shows the work's result.
 * <p>
 * In another JJava kernel this class changes nothing: the work runs, and that kernel's own interrupt applies.
 */
public final class CooperativeInterrupt {

    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static volatile boolean handled;

    private CooperativeInterrupt() {
    }

    /** Runs {@code work} as a cooperative section (it must check {@link Thread#interrupted()} and stop cleanly). */
    public static <T> T run(Supplier<T> work) {
        ACTIVE.incrementAndGet();
        try {
            return work.get();
        } finally {
            ACTIVE.decrementAndGet();
        }
    }

    /** True while some cell code is inside {@link #run}. */
    public static boolean isActive() {
        return ACTIVE.get() > 0;
    }

    /** The work saw the interrupt and finished cleanly (its result is complete and should be shown). */
    public static void markHandled() {
        handled = true;
    }

    /** Returns whether the running cell's interrupt was handled, and resets the mark. */
    public static boolean consumeHandled() {
        boolean h = handled;
        handled = false;
        return h;
    }

    /** Grace period for cooperative sections, in milliseconds. */
    public static long graceMillis() {
        return Long.getLong("prompttune.kernel.cooperativeGraceMs", 600_000L);
    }
}
