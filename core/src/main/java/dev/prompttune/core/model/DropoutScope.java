package dev.prompttune.core.model;

import java.util.SplittableRandom;

/**
 * One training micro-batch's dropout, for the current thread only: the rate every block uses, and where the masks'
 * seeds come from — a stream started from one seed, so a micro-batch's masks depend on that seed alone, not on which
 * thread or process ran it or what ran before (a cluster's tasks run micro-batches in any order, on any executor).
 *
 * <p>Outside a scope the model's own rate applies ({@link T5Model#dropoutRate()}) and each mask's seed is drawn from
 * torch's generator, as before (the pretraining tools rely on that).
 */
public final class DropoutScope implements AutoCloseable {

    private static final ThreadLocal<DropoutScope> CURRENT = new ThreadLocal<>();

    private final float rate;
    private final SplittableRandom seeds;
    private final DropoutScope previous;

    private DropoutScope(float rate, long seed, DropoutScope previous) {
        this.rate = rate;
        this.seeds = new SplittableRandom(seed);
        this.previous = previous;
    }

    /**
     * Dropout at {@code rate} on this thread until closed, masks seeded from {@code seed}.
     *
     * @param rate 0 ≤ rate &lt; 1
     */
    public static DropoutScope open(float rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new dev.prompttune.core.PromptTuneException("dropout " + rate + " is out of range; allowed: 0 <= dropout < 1");
        }
        DropoutScope scope = new DropoutScope(rate, seed, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The open scope of this thread, or null. */
    static DropoutScope current() {
        return CURRENT.get();
    }

    float rate() {
        return rate;
    }

    /** The next mask's seed. */
    long nextSeed() {
        return seeds.nextLong();
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
