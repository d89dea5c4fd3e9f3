package dev.prompttune.tools.pretrain.embed;

import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.column;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.compose;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.dot;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.orthogonal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Jacobi eigen-decomposition against matrices built from known eigenpairs (Q·diag(λ)·Qᵀ). */
class SymmetricEigenTest {

    @Test
    void recoversPlantedEigenpairsInDecreasingOrder() {
        int n = 9;
        double[][] q = orthogonal(n, 0);
        double[] lambda = {-2.5, 7, 0.5, 3, 0, 11, -0.25, 1, 5}; // unsorted, some negative, one zero
        double[][] a = compose(q, lambda, q);
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] sorted = lambda.clone();
        java.util.Arrays.sort(sorted);
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = sorted[n - 1 - i];
        }
        assertArrayEquals(expected, e.values(), 1e-11);
        for (int k = 0; k < n; k++) {
            int planted = indexOf(lambda, expected[k]);
            double[] v = e.vectors()[k];
            assertEquals(1, dot(v, v), 1e-12, "unit length");
            // The same direction as the planted eigenvector, up to sign.
            assertEquals(1, Math.abs(dot(v, column(q, planted))), 1e-10, "eigenvector " + k);
        }
    }

    @Test
    void aDiagonalMatrixIsItsOwnDecomposition() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}});
        assertArrayEquals(new double[] {3, 2, 1}, e.values(), 0);
        assertArrayEquals(new double[] {0, 1, 0}, e.vectors()[0], 0);
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v);
    }
}
