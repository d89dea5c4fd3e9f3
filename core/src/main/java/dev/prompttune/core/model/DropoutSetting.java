package dev.prompttune.core.model;

/**
 * The dropout rate every block of one model reads at call time (from the checkpoint's config, overridable
 * per training run; applied only in training mode).
 */
final class DropoutSetting {

    private volatile float rate;

    DropoutSetting(float rate) {
        this.rate = rate;
    }

    float get() {
        return rate;
    }

    void set(float rate) {
        this.rate = rate;
    }
}
