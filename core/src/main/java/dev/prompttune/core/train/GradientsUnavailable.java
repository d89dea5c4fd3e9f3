package dev.prompttune.core.train;

import dev.prompttune.core.PromptTuneException;

/**
 * A step whose gradient could not be computed: a cluster job that failed after its retries, or was cancelled by an
 * interrupt. The trainer stops (FAILED, or INTERRUPTED), keeping the best prompt so far.
 */
public final class GradientsUnavailable extends PromptTuneException {

    private final boolean interrupted;

    public GradientsUnavailable(String message, boolean interrupted, Throwable cause) {
        super(message, cause);
        this.interrupted = interrupted;
    }

    /** Whether an interrupt cancelled the step (not a failure). */
    public boolean interrupted() {
        return interrupted;
    }
}
