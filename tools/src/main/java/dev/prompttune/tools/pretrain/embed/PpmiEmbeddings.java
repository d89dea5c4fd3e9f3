package dev.prompttune.tools.pretrain.embed;

import java.util.List;

/**
 * Word vectors from the corpus's co-occurrence statistics: the truncated SVD of the positive pointwise mutual
 * information (PPMI) matrix, as Levy, Goldberg & Dagan (2015, "Improving distributional similarity with lessons
 * learned from word embeddings") tune it — context counts smoothed by the power 0.75, vectors U·√Σ.
 *
 * <p>Why a T5 build starts from them: the topic of a short text (a fortune about computers or politics) lies in
 * which words it uses, and which words go together is a statistic of the whole corpus. A small model trained for
 * 2,000 steps sees each passage about twice and does not learn it (measured: a linear classifier on the mean of
 * the shipped model's input embeddings over a fortune's tokens scores 0.35 on {@code fortune-topic}; on the mean
 * of these vectors, 0.56; models/README.md). Counting gets it exactly, in a minute.
 *
 * <p>Counts: for every ordered pair of positions at most {@code window} tokens apart within one text (a passage),
 * C(w, c) += 1; C is symmetric. With T = Σ C, P(w) = C(w, ·)/T and P_α(c) = C(·, c)^α / Σ C(·, c')^α:
 * PPMI(w, c) = max(0, log(C(w, c)·/T / (P(w)·P_α(c)))). Rows of tokens that never occur are all zero; {@link #seen}
 * marks the others. All arithmetic is double precision in a fixed order (StrictMath for log), so the vectors are
 * the same bits on every CPU.
 *
 * @param vectors one row per token id [vocab][dims], scaled so that the seen rows' entries have a root mean square
 *                of 1 (T5 draws its embeddings N(0, 1)); unseen rows are zero
 * @param seen which token ids occur in the texts [vocab]
 */
public record PpmiEmbeddings(float[][] vectors, boolean[] seen) {

    /** Context-distribution smoothing exponent α (Levy et al. 2015, §3.2). */
    public static final double CONTEXT_SMOOTHING = 0.75;
    /** Subspace-iteration rounds of {@link TruncatedSvd}: enough for the leading directions to settle. */
    public static final int POWER_ITERATIONS = 4;

    /**
     * Vectors of {@code dims} dimensions for ids 0 .. vocab - 1 from {@code texts} (each a token-id sequence, as
     * {@code T5Tokenizer.encode} gives it; windows do not cross texts).
     */
    public static PpmiEmbeddings of(List<long[]> texts, int vocab, int window, int dims, long seed) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        int[] counts = counts(texts, vocab, window);
        double[] rowSums = rowSums(counts, vocab);
        SparseMatrix ppmi = ppmi(counts, rowSums, vocab);
        boolean[] seen = new boolean[vocab];
        for (int w = 0; w < vocab; w++) {
            seen[w] = rowSums[w] > 0;
        }
        TruncatedSvd svd = TruncatedSvd.of(ppmi, dims, POWER_ITERATIONS, seed);
        double[][] rows = new double[vocab][dims];
        double squares = 0;
        int seenCount = 0;
        for (int k = 0; k < dims; k++) {
            double scale = Math.sqrt(svd.values()[k]);
            double[] u = svd.leftVectors()[k];
            for (int w = 0; w < vocab; w++) {
                rows[w][k] = u[w] * scale;
            }
        }
        for (int w = 0; w < vocab; w++) {
            if (seen[w]) {
                seenCount++;
                for (double x : rows[w]) {
                    squares += x * x;
                }
            }
        }
        double rms = seenCount == 0 ? 1 : Math.sqrt(squares / ((double) seenCount * dims));
        float[][] vectors = new float[vocab][dims];
        for (int w = 0; w < vocab; w++) {
            for (int k = 0; k < dims && seen[w]; k++) {
                vectors[w][k] = (float) (rows[w][k] / rms);
            }
        }
        return new PpmiEmbeddings(vectors, seen);
    }

    /** Symmetric window counts, row-major [vocab × vocab] (vocab² < 2³¹: 8,000 ids take 256 MB). */
    static int[] counts(List<long[]> texts, int vocab, int window) {
        int[] counts = new int[Math.multiplyExact(vocab, vocab)];
        for (long[] text : texts) {
            int[] ids = new int[text.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = checked(text[i], vocab);
            }
            for (int i = 0; i < ids.length; i++) {
                for (int j = i + 1; j < ids.length && j <= i + window; j++) {
                    counts[ids[i] * vocab + ids[j]]++;
                    counts[ids[j] * vocab + ids[i]]++;
                }
            }
        }
        return counts;
    }

    /** C(w, ·) for every w of {@code counts} (row-major [vocab × vocab]); 0 for an id that never occurs. */
    static double[] rowSums(int[] counts, int vocab) {
        double[] rowSums = new double[vocab];
        for (int w = 0; w < vocab; w++) {
            for (int c = 0; c < vocab; c++) {
                rowSums[w] += counts[w * vocab + c];
            }
        }
        return rowSums;
    }

    /**
     * The PPMI matrix of {@code counts} (row-major [vocab × vocab]) with their {@link #rowSums}, sparse: only positive
     * entries are kept.
     */
    static SparseMatrix ppmi(int[] counts, double[] rowSums, int vocab) {
        double total = 0;
        for (int w = 0; w < vocab; w++) {
            total += rowSums[w];
        }
        double[] smoothedContext = new double[vocab];
        double smoothedTotal = 0;
        for (int c = 0; c < vocab; c++) {
            smoothedContext[c] = StrictMath.pow(rowSums[c], CONTEXT_SMOOTHING); // C symmetric: column sum = row sum
            smoothedTotal += smoothedContext[c];
        }
        SparseMatrix.Builder b = SparseMatrix.builder(vocab, vocab);
        for (int w = 0; w < vocab; w++) {
            for (int c = 0; c < vocab; c++) {
                int n = counts[w * vocab + c];
                if (n == 0) {
                    continue;
                }
                double pmi = StrictMath.log((n / total) / ((rowSums[w] / total) * (smoothedContext[c] / smoothedTotal)));
                if (pmi > 0) {
                    b.add(w, c, pmi);
                }
            }
        }
        return b.build();
    }

    private static int checked(long id, int vocab) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary 0.." + (vocab - 1));
        }
        return (int) id;
    }
}
