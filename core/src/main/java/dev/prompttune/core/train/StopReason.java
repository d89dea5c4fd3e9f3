package dev.prompttune.core.train;

/** Why a training run ended. */
public enum StopReason {
    /** All steps or epochs done. */
    COMPLETED,
    /** No dev improvement for {@code patience} evaluations. */
    EARLY_STOPPED,
    /** The thread was interrupted; stopped at the next step boundary (or micro-batch, dropping that step). */
    INTERRUPTED,
    /** The loss became NaN or infinite; the last good prompt is kept. */
    DIVERGED,
    /**
     * The loss was not finite at the very first step (a broken initial prompt or model): nothing was trained, so
     * there is no result, only a failure.
     */
    FAILED,
    /** Not trained in this session: a prompt read from a file ({@code loadPrompt}, {@code %loadPrompt}). */
    LOADED;

    /**
     * Whether a run that stopped so can go on from its checkpoint: an interrupt, or a failed step (a cluster job that
     * failed every retry; a first step without a finite loss is FAILED too, and leaves no checkpoint to go on from).
     */
    public boolean resumable() {
        return this == INTERRUPTED || this == FAILED;
    }

    /** The name in run records ({@code summary.json}'s {@code stop_reason}). */
    public String key() {
        return name();
    }

    /** The reason a record names; a clear error for a name this version does not know. */
    public static StopReason of(String key) {
        return dev.prompttune.core.EnumKeys.of(values(), StopReason::key, "stop reason", key);
    }
}
