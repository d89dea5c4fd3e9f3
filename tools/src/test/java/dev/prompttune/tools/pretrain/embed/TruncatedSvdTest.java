package dev.prompttune.tools.pretrain.embed;

import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.column;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.compose;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.dot;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.orthogonal;
import static dev.prompttune.tools.pretrain.embed.LinearAlgebraFixtures.sparse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Randomized truncated SVD against rectangular matrices with planted singular triplets. */
class TruncatedSvdTest {

    /** A [70, 50] matrix U·diag(s)·Vᵀ of rank 30 whose singular values decay geometrically, as a PPMI matrix's do. */
    private static double[][] planted(double[] s) {
        return compose(orthogonal(70, 1), s, orthogonal(50, 2));
    }

    private static double[] decaying(int rank) {
        double[] s = new double[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 100 * Math.pow(0.8, i);
        }
        return s;
    }

    @Test
    void leadingSingularValuesAndVectorsMatchThePlantedOnes() {
        double[] s = decaying(30);
        TruncatedSvd svd = TruncatedSvd.of(sparse(planted(s)), 8, 4, 7);
        double[][] u = orthogonal(70, 1);
        for (int k = 0; k < 8; k++) {
            assertEquals(s[k], svd.values()[k], 1e-9 * s[0], "singular value " + k);
            assertEquals(1, Math.abs(dot(svd.leftVectors()[k], column(u, k))), 1e-9, "left vector " + k);
            assertEquals(1, dot(svd.leftVectors()[k], svd.leftVectors()[k]), 1e-12);
        }
    }

    @Test
    void theSignIsFixedAndTheResultDoesNotDependOnTheSeedBeyondRounding() {
        SparseMatrix a = sparse(planted(decaying(30)));
        TruncatedSvd one = TruncatedSvd.of(a, 5, 4, 1);
        TruncatedSvd two = TruncatedSvd.of(a, 5, 4, 2);
        for (int k = 0; k < 5; k++) {
            double[] u = one.leftVectors()[k];
            int largest = 0;
            for (int i = 0; i < u.length; i++) {
                largest = Math.abs(u[i]) > Math.abs(u[largest]) ? i : largest;
            }
            assertTrue(u[largest] > 0, "largest entry positive");
            assertArrayEquals(u, two.leftVectors()[k], 1e-8);
        }
    }

    @Test
    void sparseProductsAgreeWithTheDenseDefinition() {
        double[][] a = {{0, 2, 0}, {1, 0, 3}};
        SparseMatrix m = sparse(a);
        assertEquals(3, m.nonZeros());
        double[][] y = m.times(new double[][] {{1, 10, 100}});
        assertArrayEquals(new double[] {20, 301}, y[0], 0);
        double[][] z = m.transpose().times(new double[][] {{1, 10}});
        assertArrayEquals(new double[] {10, 2, 30}, z[0], 0);
    }

    @Test
    void aRankAboveTheMatrixSizeIsRefused() {
        SparseMatrix a = sparse(new double[][] {{1, 0}, {0, 1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.of(a, 3, 1, 1));
        assertTrue(e.getMessage().contains("1..2") && e.getMessage().contains("3"), e.getMessage());
    }
}
