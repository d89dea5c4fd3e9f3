package dev.prompttune.core.verify;

/**
 * One tensor compared with its reference: the largest absolute error and whether every element is within
 * {@code absTolerance + relTolerance·|reference|}.
 */
public record Comparison(String name, double maxAbsError, double absTolerance, double relTolerance, boolean passed) {

    /** Compares element-wise; shapes must already agree (a length mismatch fails with an infinite error). */
    public static Comparison of(String name, float[] actual, float[] expected, double absTolerance, double relTolerance) {
        if (actual.length != expected.length) {
            return new Comparison(name, Double.POSITIVE_INFINITY, absTolerance, relTolerance, false);
        }
        double max = 0;
        boolean ok = true;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, err);
            if (err > absTolerance + relTolerance * Math.abs(expected[i])) {
                ok = false;
            }
        }
        return new Comparison(name, max, absTolerance, relTolerance, ok);
    }
}
