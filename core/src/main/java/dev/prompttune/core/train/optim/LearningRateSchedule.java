package dev.prompttune.core.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate multiplier per optimizer step: the optimizer uses {@code lr * at(step)}.
 *
 * <p>{@code step} is the 0-based index of the update being made (the optimizer's {@link Optimizer#stepCount()}
 * before the update). The conventions are Hugging Face's ({@code get_constant_schedule_with_warmup},
 * {@code get_linear_schedule_with_warmup}) and T5X's ({@code linear_warmup}): during warm-up the multiplier is
 * {@code step / warmupSteps}, so the very first update (step 0) is made with learning rate 0.
 */
public final class LearningRateSchedule {

    private enum Kind { CONSTANT, WARMUP_CONSTANT, WARMUP_LINEAR_DECAY }

    private static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0, 0);

    private final Kind kind;
    private final int warmupSteps;
    private final int totalSteps;

    private LearningRateSchedule(Kind kind, int warmupSteps, int totalSteps) {
        this.kind = kind;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    /** Multiplier 1 at every step (the paper's recipe). */
    public static LearningRateSchedule constant() {
        return CONSTANT;
    }

    /** Linear warm-up from 0 over {@code warmupSteps} steps, then 1. {@code warmupSteps = 0} is {@link #constant()}. */
    public static LearningRateSchedule warmup(int warmupSteps) {
        if (warmupSteps < 0) {
            throw Checks.bad("learning-rate schedule", "warmupSteps", warmupSteps, "an integer >= 0");
        }
        return warmupSteps == 0 ? CONSTANT : new LearningRateSchedule(Kind.WARMUP_CONSTANT, warmupSteps, 0);
    }

    /**
     * Linear warm-up from 0 over {@code warmupSteps} steps, then linear decay to 0 at {@code totalSteps} (and 0
     * after it).
     */
    public static LearningRateSchedule warmupLinearDecay(int warmupSteps, int totalSteps) {
        if (warmupSteps < 0) {
            throw Checks.bad("learning-rate schedule", "warmupSteps", warmupSteps, "an integer >= 0");
        }
        if (totalSteps <= warmupSteps) {
            throw Checks.bad("learning-rate schedule", "totalSteps", totalSteps,
                    "an integer > warmupSteps (" + warmupSteps + ")");
        }
        return new LearningRateSchedule(Kind.WARMUP_LINEAR_DECAY, warmupSteps, totalSteps);
    }

    /**
     * Parses {@code constant}, {@code warmup:N} or {@code linear:N:TOTAL} (warm-up N steps, then linear decay to 0 at
     * TOTAL).
     */
    public static LearningRateSchedule parse(String text) {
        String allowed = "constant, warmup:N or linear:N:TOTAL";
        if (text == null) {
            throw Checks.bad("learning-rate schedule", "schedule", null, allowed);
        }
        String[] parts = text.trim().split(":", -1);
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return CONSTANT;
                    }
                    break;
                case "warmup":
                    if (parts.length == 2) {
                        int n = Integer.parseInt(parts[1].trim());
                        if (n < 0) {
                            throw Checks.bad("learning-rate schedule", "schedule", "'" + text + "'", "warmup:N with N >= 0");
                        }
                        return warmup(n);
                    }
                    break;
                case "linear":
                    if (parts.length == 3) {
                        // Named as written ('linear:5:1'), not by the internal warmupSteps/totalSteps.
                        int n = Integer.parseInt(parts[1].trim());
                        int total = Integer.parseInt(parts[2].trim());
                        if (n < 0 || total <= n) {
                            throw Checks.bad("learning-rate schedule", "schedule", "'" + text + "'",
                                    "linear:N:TOTAL with N >= 0 and TOTAL > N");
                        }
                        return warmupLinearDecay(n, total);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw Checks.bad("learning-rate schedule", "schedule", "'" + text + "'", allowed);
        }
        throw Checks.bad("learning-rate schedule", "schedule", "'" + text + "'", allowed);
    }

    /** The multiplier for the update with 0-based index {@code step}. */
    public float at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        switch (kind) {
            case CONSTANT:
                return 1f;
            case WARMUP_CONSTANT:
                return step < warmupSteps ? (float) step / warmupSteps : 1f;
            case WARMUP_LINEAR_DECAY:
                if (step < warmupSteps) {
                    return (float) step / warmupSteps;
                }
                return (float) Math.max(0.0, (double) (totalSteps - step) / (totalSteps - warmupSteps));
            default:
                throw new AssertionError(kind);
        }
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    /** Total steps of a decaying schedule, 0 for the others. */
    public int totalSteps() {
        return totalSteps;
    }

    /** For run records: {@code kind}, plus {@code warmupSteps} / {@code totalSteps} where they apply. */
    public Map<String, Object> settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kindName());
        if (kind != Kind.CONSTANT) {
            out.put("warmupSteps", warmupSteps);
        }
        if (kind == Kind.WARMUP_LINEAR_DECAY) {
            out.put("totalSteps", totalSteps);
        }
        return out;
    }

    private String kindName() {
        switch (kind) {
            case CONSTANT:
                return "constant";
            case WARMUP_CONSTANT:
                return "warmup";
            default:
                return "linear";
        }
    }

    /** The {@link #parse} form: {@code constant}, {@code warmup:N}, {@code linear:N:TOTAL}. */
    @Override
    public String toString() {
        switch (kind) {
            case CONSTANT:
                return "constant";
            case WARMUP_CONSTANT:
                return "warmup:" + warmupSteps;
            default:
                return "linear:" + warmupSteps + ":" + totalSteps;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.kind == kind && s.warmupSteps == warmupSteps
                && s.totalSteps == totalSteps;
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + warmupSteps) * 31 + totalSteps;
    }
}
