package dev.prompttune.tools.pretrain.embed;

import java.util.SplittableRandom;

/**
 * The leading k singular values and left singular vectors of a sparse matrix A [m, n], by randomized subspace
 * iteration (Halko, Martinsson & Tropp 2011, Algorithm 4.4): Q spans A·Ω for a Gaussian Ω [n, k + oversampling],
 * sharpened by {@code powerIterations} rounds of Q ← orth(A·orth(Aᵀ·Q)); then the small matrix B = Qᵀ·A gives
 * B·Bᵀ = W·Σ²·Wᵀ ({@link SymmetricEigen}) and U = Q·W.
 *
 * <p>Everything is double precision Java arithmetic in a fixed order, seeded: the result is the same bits on every
 * CPU, so a model initialised from it builds alike everywhere. Each singular vector's sign is fixed so that its
 * entry of largest magnitude is positive (an SVD determines vectors only up to sign).
 *
 * @param values the k largest singular values, decreasing [k]
 * @param leftVectors the matching left singular vectors as columns [k][m]
 */
public record TruncatedSvd(double[] values, double[][] leftVectors) {

    /** Extra random directions beyond k: errors fall fast with a few (Halko et al. §4.2). */
    public static final int OVERSAMPLING = 16;

    /** Computes the leading {@code k} singular triplets' values and left vectors of {@code a}. */
    public static TruncatedSvd of(SparseMatrix a, int k, int powerIterations, long seed) {
        int l = Math.min(k + OVERSAMPLING, Math.min(a.rows(), a.cols()));
        if (k < 1 || k > l) {
            throw new IllegalArgumentException("k must be in 1.." + Math.min(a.rows(), a.cols()) + ", got " + k);
        }
        SparseMatrix at = a.transpose();
        SplittableRandom random = new SplittableRandom(seed);
        double[][] omega = new double[l][a.cols()];
        for (double[] column : omega) {
            for (int i = 0; i < column.length; i++) {
                column[i] = gaussian(random);
            }
        }
        double[][] q = orthonormalize(a.times(omega));
        for (int i = 0; i < powerIterations; i++) {
            q = orthonormalize(a.times(orthonormalize(at.times(q))));
        }
        double[][] bt = at.times(q); // Bᵀ = Aᵀ·Q, columns [l][n]
        double[][] bbt = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = i; j < l; j++) {
                bbt[i][j] = bbt[j][i] = dot(bt[i], bt[j]);
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(bbt);
        double[] values = new double[k];
        double[][] left = new double[k][a.rows()];
        for (int c = 0; c < k; c++) {
            values[c] = Math.sqrt(Math.max(0, eigen.values()[c]));
            double[] w = eigen.vectors()[c];
            double[] u = left[c];
            for (int j = 0; j < l; j++) {
                double wj = w[j];
                double[] qj = q[j];
                for (int i = 0; i < u.length; i++) {
                    u[i] += qj[i] * wj;
                }
            }
            fixSign(u);
        }
        return new TruncatedSvd(values, left);
    }

    /**
     * Orthonormal columns spanning {@code columns}' span, by modified Gram–Schmidt applied twice (one pass loses
     * orthogonality on the ill-conditioned bases power iteration makes; two suffice, "twice is enough"). A column
     * that is (numerically) in the span of the earlier ones is replaced by zeros, which later products keep at 0.
     */
    static double[][] orthonormalize(double[][] columns) {
        double[][] q = new double[columns.length][];
        for (int j = 0; j < columns.length; j++) {
            double[] v = columns[j].clone();
            double before = Math.sqrt(dot(v, v));
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double r = dot(q[i], v);
                    double[] qi = q[i];
                    for (int t = 0; t < v.length; t++) {
                        v[t] -= r * qi[t];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm <= 1e-12 * before || norm == 0) {
                java.util.Arrays.fill(v, 0);
            } else {
                for (int t = 0; t < v.length; t++) {
                    v[t] /= norm;
                }
            }
            q[j] = v;
        }
        return q;
    }

    static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    private static void fixSign(double[] u) {
        int largest = 0;
        for (int i = 1; i < u.length; i++) {
            if (Math.abs(u[i]) > Math.abs(u[largest])) {
                largest = i;
            }
        }
        if (u[largest] < 0) {
            for (int i = 0; i < u.length; i++) {
                u[i] = -u[i];
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller with StrictMath, so the draws are the same bits on every CPU.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }
}
