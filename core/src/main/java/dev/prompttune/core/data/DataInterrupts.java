package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.function.Supplier;

/**
 * Ctrl-C (or a notebook's stop button) while a task's data is read, checked and tokenized before a run. For a large
 * file that takes a while (31 MB of JSON Lines: 40 s, mostly tokenizing), and the loops did not look at the thread's
 * interrupt flag: the stop took effect only when the run began, half a minute later. Inside {@link #during} they do
 * ({@link #check}) and end with {@link Stopped}, which the command line reports as the stop it is.
 *
 * <p>Only inside {@link #during} (the checks before a run, and a script's compile-time checks): a run that was stopped
 * still scores its best prompt and writes its record, tokenizing its test split on the way, with the flag set.
 */
public final class DataInterrupts {

    /** Rows between two looks at the flag while reading or checking (a few milliseconds of work). */
    static final int ROWS = 1024;

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private DataInterrupts() {}

    /** Runs {@code work} (reading and checking data before a run) with {@link #check} ending it at an interrupt. */
    public static <T> T during(Supplier<T> work) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            return work.get();
        } finally {
            depth[0]--;
        }
    }

    /**
     * Inside {@link #during}, ends the work when this thread was interrupted (the flag stays set, so what runs next
     * stops too).
     *
     * @param what what was being done, for the message ("reading train.jsonl")
     */
    public static void check(String what) {
        if (DEPTH.get()[0] > 0 && Thread.currentThread().isInterrupted()) {
            throw new Stopped(what);
        }
    }

    /** The data's reading or checking stopped by an interrupt: the stop itself, not a mistake in the data. */
    public static final class Stopped extends PromptTuneException {
        Stopped(String what) {
            super("interrupted while " + what, new InterruptedException("interrupted while " + what));
        }
    }
}
