package dev.prompttune.kernel.charts;

import java.util.Arrays;

/**
 * Curve data made safe and cheap for XChart. XChart rejects empty or unequal x/y arrays, and NaN or infinite
 * values distort its axis ranges, so every series passes through {@link #finite} first. A training run can log
 * tens of thousands of losses; a panel is ~400 px wide, so {@link #envelope} keeps at most two points
 * (the minimum and maximum) per bucket, which draws the same picture at a fraction of the cost.
 */
record Points(double[] x, double[] y) {

    static final Points EMPTY = new Points(new double[0], new double[0]);

    int size() {
        return x.length;
    }

    boolean isEmpty() {
        return x.length == 0;
    }

    /** The pairs where both x and y are finite; unequal lengths are cut to the shorter; null reads as empty. */
    static Points finite(double[] xs, double[] ys) {
        if (xs == null || ys == null) {
            return EMPTY;
        }
        int n = Math.min(xs.length, ys.length);
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                x[k] = xs[i];
                y[k] = ys[i];
                k++;
            }
        }
        return new Points(Arrays.copyOf(x, k), Arrays.copyOf(y, k));
    }

    /**
     * At most {@code 2 * buckets} points: each bucket of consecutive points keeps its lowest and highest y, in
     * their original order, so spikes survive (a plain stride would drop them). Already small series pass as is.
     */
    Points envelope(int buckets) {
        int n = size();
        if (n <= 2 * buckets) {
            return this;
        }
        double[] ox = new double[2 * buckets];
        double[] oy = new double[2 * buckets];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int lo = from;
            int hi = from;
            for (int i = from + 1; i < to; i++) {
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            ox[k] = x[first];
            oy[k++] = y[first];
            if (second != first) {
                ox[k] = x[second];
                oy[k++] = y[second];
            }
        }
        return new Points(Arrays.copyOf(ox, k), Arrays.copyOf(oy, k));
    }

    /**
     * Exponential moving average over about {@code window} points, bias-corrected like TensorBoard's smoothing
     * so the first values are not pulled towards 0.
     */
    Points ema(int window) {
        double beta = 1.0 - 2.0 / (window + 1.0);
        double[] out = new double[size()];
        double s = 0;
        double correction = 1;
        for (int i = 0; i < out.length; i++) {
            s = beta * s + (1 - beta) * y[i];
            correction *= beta;
            out[i] = s / (1 - correction);
        }
        return new Points(x, out);
    }
}
