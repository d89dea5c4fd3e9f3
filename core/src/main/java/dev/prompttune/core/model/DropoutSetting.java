package dev.prompttune.core.model;

/**
 * The dropout rate every block of one model reads at call time (from the checkpoint's config, overridable
 * per training run; applied only in training mode). A {@link DropoutScope} open on the calling thread overrides it
 * for that thread alone (cluster tasks share one model replica between threads).
 */
final class DropoutSetting {

    private volatile float rate;

    DropoutSetting(float rate) {
        this.rate = rate;
    }

    float get() {
        DropoutScope scope = DropoutScope.current();
        return scope != null ? scope.rate() : rate;
    }

    void set(float rate) {
        this.rate = rate;
    }
}
