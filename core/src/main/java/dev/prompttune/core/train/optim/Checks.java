package dev.prompttune.core.train.optim;

import dev.prompttune.core.PromptTuneException;

/** One-line setting checks shared by the optimizers and schedules. */
final class Checks {

    private Checks() {}

    static PromptTuneException bad(String owner, String setting, Object value, String allowed) {
        return new PromptTuneException(owner + " setting " + setting + " = " + value + " is not allowed; allowed: " + allowed);
    }

    /** Finite and strictly positive. */
    static float positive(String owner, String setting, float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw bad(owner, setting, value, "a finite number > 0");
        }
        return value;
    }

    /** Finite and ≥ 0. */
    static float nonNegative(String owner, String setting, float value) {
        if (!(value >= 0) || Float.isInfinite(value)) {
            throw bad(owner, setting, value, "a finite number >= 0");
        }
        return value;
    }

    /** In [0, 1). */
    static float unitOpen(String owner, String setting, float value) {
        if (!(value >= 0 && value < 1)) {
            throw bad(owner, setting, value, "[0, 1)");
        }
        return value;
    }

    /** In [0, 1). */
    static float weightDecay(String owner, String setting, float value) {
        if (!(value >= 0 && value < 1)) {
            throw bad(owner, setting, value, "[0, 1) (0 = off)");
        }
        return value;
    }
}
