package dev.prompttune.dsl;

/**
 * The {@code optimizer('adamw') { … }} block: the optimiser's own settings. They are the same settings as the
 * top-level keywords {@code lr}, {@code weightDecay} and {@code schedule}; the block only groups them with the
 * optimiser they tune.
 *
 * <pre>
 * optimizer('adafactor') { lr 0.3; weightDecay 1e-5 }          // the paper's setting (the default)
 * optimizer('adamw') { lr 1e-3; weightDecay 0.01; schedule 'warmup:100' }
 * </pre>
 */
public final class OptimizerSpec {

    /** The block's keywords. */
    public static final java.util.List<String> KEYWORDS = java.util.List.of("lr", "weightDecay", "schedule");

    private final TuneSpec spec;

    /** A block that writes into {@code spec}. */
    OptimizerSpec(TuneSpec spec) {
        this.spec = spec;
    }

    /** A stand-alone block (its settings are validated and then dropped); the type checker uses it. */
    public OptimizerSpec() {
        this(new TuneSpec());
    }

    /** Learning rate, {@code > 0} (paper: 0.3 with Adafactor). */
    public OptimizerSpec lr(double v) {
        spec.lr(v);
        return this;
    }

    /** Decoupled weight decay, {@code >= 0} (default: 1e-5 Adafactor, 0.01 AdamW, 0 Hugging Face Adafactor). */
    public OptimizerSpec weightDecay(double v) {
        spec.weightDecay(v);
        return this;
    }

    /** Learning-rate schedule: {@code 'constant'}, {@code 'warmup:N'} or {@code 'linear:N:TOTAL'}. */
    public OptimizerSpec schedule(String v) {
        spec.schedule(v);
        return this;
    }
}
