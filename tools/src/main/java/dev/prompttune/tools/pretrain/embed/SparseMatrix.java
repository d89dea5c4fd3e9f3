package dev.prompttune.tools.pretrain.embed;

import java.util.Arrays;

/**
 * A real matrix in compressed sparse row form, in double precision, with the two products {@link TruncatedSvd}
 * needs. Dense operands are arrays of columns ({@code double[cols][rows]}), the shape a tall, thin matrix has
 * in an iterative SVD: each product is one sparse matrix-vector product a column.
 */
public final class SparseMatrix {

    private final int rows;
    private final int cols;
    private final int[] rowStart; // [rows + 1]
    private final int[] colIndex; // [nnz]
    private final double[] values; // [nnz]

    private SparseMatrix(int rows, int cols, int[] rowStart, int[] colIndex, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.colIndex = colIndex;
        this.values = values;
    }

    /** Builds a matrix row by row: call {@link Builder#add} with non-decreasing rows, then {@link Builder#build}. */
    public static Builder builder(int rows, int cols) {
        return new Builder(rows, cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Stored (non-zero) entries. */
    public int nonZeros() {
        return rowStart[rows];
    }

    /** This · X for X given as columns [k][cols]; returns [k][rows]. */
    public double[][] times(double[][] columns) {
        double[][] out = new double[columns.length][rows];
        for (int j = 0; j < columns.length; j++) {
            double[] x = columns[j];
            if (x.length != cols) {
                throw new IllegalArgumentException("column " + j + " has " + x.length + " entries, the matrix " + cols + " columns");
            }
            double[] y = out[j];
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                    sum += values[p] * x[colIndex[p]];
                }
                y[r] = sum;
            }
        }
        return out;
    }

    /** The transpose, as its own compressed-row matrix. */
    public SparseMatrix transpose() {
        int[] count = new int[cols + 1];
        for (int p = 0; p < nonZeros(); p++) {
            count[colIndex[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            count[c + 1] += count[c];
        }
        int[] start = count.clone();
        int[] next = Arrays.copyOf(count, cols);
        int[] index = new int[nonZeros()];
        double[] v = new double[nonZeros()];
        for (int r = 0; r < rows; r++) {
            for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                int at = next[colIndex[p]]++;
                index[at] = r;
                v[at] = values[p];
            }
        }
        return new SparseMatrix(cols, rows, start, index, v);
    }

    /** Accumulates entries in row order. */
    public static final class Builder {
        private final int rows;
        private final int cols;
        private final int[] rowStart;
        private int[] colIndex = new int[1024];
        private double[] values = new double[1024];
        private int size;
        private int lastRow;

        private Builder(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            this.rowStart = new int[rows + 1];
        }

        /** Adds entry (row, col); rows must come in non-decreasing order. */
        public Builder add(int row, int col, double value) {
            if (row < lastRow || row >= rows || col < 0 || col >= cols) {
                throw new IllegalArgumentException("entry (" + row + ", " + col + ") out of order or outside "
                        + rows + " x " + cols);
            }
            while (lastRow < row) {
                rowStart[++lastRow] = size;
            }
            if (size == colIndex.length) {
                colIndex = Arrays.copyOf(colIndex, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            colIndex[size] = col;
            values[size++] = value;
            return this;
        }

        public SparseMatrix build() {
            while (lastRow < rows) {
                rowStart[++lastRow] = size;
            }
            return new SparseMatrix(rows, cols, rowStart, Arrays.copyOf(colIndex, size), Arrays.copyOf(values, size));
        }
    }
}
