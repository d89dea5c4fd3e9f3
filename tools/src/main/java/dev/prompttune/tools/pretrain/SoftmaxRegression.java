package dev.prompttune.tools.pretrain;

/**
 * Multinomial logistic regression with an L2 penalty, fitted by full-batch gradient descent in double precision:
 * the linear probe's classifier. Deterministic (no randomness, plain Java arithmetic), so a probe gives the same
 * number on every CPU for the same features.
 *
 * <p>Features are standardised with the training set's mean and standard deviation; the loss is the mean cross-entropy
 * plus {@code l2 / 2 · ‖W‖²} (the bias is not penalised).
 */
final class SoftmaxRegression {

    private final double[] mean;
    private final double[] scale;
    private final double[][] weights; // [features][classes]
    private final double[] bias;      // [classes]

    private SoftmaxRegression(double[] mean, double[] scale, double[][] weights, double[] bias) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param x [examples][features]
     * @param y [examples] class in [0, classes)
     */
    static SoftmaxRegression fit(double[][] x, int[] y, int classes, double l2, int iterations, double learningRate) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = Math.sqrt(scale[j]) + 1e-6;
        }
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = standardise(x[i], mean, scale);
        }
        double[][] w = new double[d][classes];
        double[] b = new double[classes];
        double[][] gw = new double[d][classes];
        double[] gb = new double[classes];
        double[] p = new double[classes];
        for (int it = 0; it < iterations; it++) {
            for (double[] row : gw) {
                java.util.Arrays.fill(row, 0);
            }
            java.util.Arrays.fill(gb, 0);
            for (int i = 0; i < n; i++) {
                probabilities(z[i], w, b, p);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    double g = p[c] / n;
                    gb[c] += g;
                    for (int j = 0; j < d; j++) {
                        gw[j][c] += g * z[i][j];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int c = 0; c < classes; c++) {
                    w[j][c] -= learningRate * (gw[j][c] + l2 * w[j][c]);
                }
            }
            for (int c = 0; c < classes; c++) {
                b[c] -= learningRate * gb[c];
            }
        }
        return new SoftmaxRegression(mean, scale, w, b);
    }

    /** The most probable class of each row (the lowest class on a tie). */
    int[] predict(double[][] x) {
        int classes = bias.length;
        double[] p = new double[classes];
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            probabilities(standardise(x[i], mean, scale), weights, bias, p);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = p[c] > p[best] ? c : best;
            }
            out[i] = best;
        }
        return out;
    }

    private static double[] standardise(double[] row, double[] mean, double[] scale) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    /** Softmax of z·W + b into {@code p}. */
    private static void probabilities(double[] z, double[][] w, double[] b, double[] p) {
        int classes = b.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = b[c];
            for (int j = 0; j < z.length; j++) {
                s += z[j] * w[j][c];
            }
            p[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
    }
}
