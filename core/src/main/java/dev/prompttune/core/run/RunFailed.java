package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Path;

/**
 * A run that failed: it trained nothing (its first step had no finite loss), or a step could not be computed (a
 * cluster job failed after its retries; the record then keeps the best prompt so far). Not a result. Its record is
 * written, marked {@code FAILED} with the reason, and the command line exits with {@code 1}.
 */
public final class RunFailed extends PromptTuneException {

    private final Path record;

    public RunFailed(String name, String failure, Path record) {
        super("run " + name + " failed: " + failure + "; record " + record + " (marked failed)");
        this.record = record;
    }

    private RunFailed(String message, Path record) {
        super(message);
        this.record = record;
    }

    /** This failure with {@code more} said after it (what else it stopped: a sweep's points not run). */
    public RunFailed saying(String more) {
        return new RunFailed(getMessage() + "; " + more, record);
    }

    /** The run's record directory (its summary says FAILED). */
    public Path record() {
        return record;
    }
}
