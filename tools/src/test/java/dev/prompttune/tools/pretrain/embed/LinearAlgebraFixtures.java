package dev.prompttune.tools.pretrain.embed;

/** Matrices with a known decomposition, built from Householder reflections (orthogonal by construction). */
final class LinearAlgebraFixtures {

    private LinearAlgebraFixtures() {}

    /**
     * An orthogonal [n][n] matrix (row-major): the product of two Householder reflections I − 2·v·vᵀ/(vᵀv) with
     * fixed, non-special vectors v, so no column is a coordinate axis.
     */
    static double[][] orthogonal(int n, int salt) {
        double[][] q = identity(n);
        for (int r = 0; r < 2; r++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = Math.sin(1.7 * (i + 1) * (r + 1 + salt)) + 0.3 * (i % 3);
            }
            q = multiply(q, reflection(v));
        }
        return q;
    }

    static double[][] reflection(double[] v) {
        int n = v.length;
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        double[][] h = identity(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] -= 2 * v[i] * v[j] / vv;
            }
        }
        return h;
    }

    static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    /** U·diag(s)·Vᵀ with U the first s.length columns of {@code u} [m][m] and V those of {@code v} [n][n]. */
    static double[][] compose(double[][] u, double[] s, double[][] v) {
        int m = u.length;
        int n = v.length;
        double[][] a = new double[m][n];
        for (int k = 0; k < s.length; k++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += u[i][k] * s[k] * v[j][k];
                }
            }
        }
        return a;
    }

    /** A dense {@code double[rows][cols]} (row-major, as written on paper) as a sparse matrix; zeros are dropped. */
    static SparseMatrix sparse(double[][] a) {
        SparseMatrix.Builder b = SparseMatrix.builder(a.length, a.length == 0 ? 0 : a[0].length);
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                if (a[r][c] != 0) {
                    b.add(r, c, a[r][c]);
                }
            }
        }
        return b.build();
    }

    /** Column {@code k} of a row-major matrix. */
    static double[] column(double[][] m, int k) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][k];
        }
        return c;
    }

    static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }
}
