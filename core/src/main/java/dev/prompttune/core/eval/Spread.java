package dev.prompttune.core.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * The mean and sample standard deviation of one result over repeats (seeds, thread counts): what a comparison in a
 * notebook states, so that a difference is read against the noise of the runs behind it.
 *
 * @param mean the repeats' mean
 * @param sd their sample standard deviation (divisor n − 1; 0 for a single value)
 * @param min the least result
 * @param max the greatest result
 * @param n number of repeats
 */
public record Spread(double mean, double sd, double min, double max, int n) {

    /** The spread of {@code values}; an error when there are none or one is not finite. */
    public static Spread of(double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("a spread needs at least one value, got none");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a spread needs finite values, got " + Arrays.toString(values));
            }
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Spread(mean, sd, min, max, values.length);
    }

    /** {@code 0.758 ± 0.021 (n=3)}: mean ± sample standard deviation. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f ± %.3f (n=%d)", mean, sd, n);
    }
}
