package dev.prompttune.core.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * The mean and sample standard deviation of one result over repeats (seeds, thread counts): what a comparison in a
 * notebook states, so that a difference is read against the noise of the runs behind it.
 *
 * @param values the repeats' results, in the order given
 * @param mean their mean
 * @param sd their sample standard deviation (divisor n − 1; 0 for a single value)
 */
public record Spread(double[] values, double mean, double sd) {

    /** The spread of {@code values}; an error when there are none or one is not finite. */
    public static Spread of(double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("a spread needs at least one value, got none");
        }
        double sum = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a spread needs finite values, got " + Arrays.toString(values));
            }
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Spread(values.clone(), mean, sd);
    }

    /** Number of repeats. */
    public int n() {
        return values.length;
    }

    public double min() {
        return Arrays.stream(values).min().orElseThrow();
    }

    public double max() {
        return Arrays.stream(values).max().orElseThrow();
    }

    /** {@code 0.758 ± 0.021 (n=3)}: mean ± sample standard deviation. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f ± %.3f (n=%d)", mean, sd, values.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spread s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
