package dev.prompttune.tools.tokenizer;

import java.util.Arrays;

/**
 * For every sentence (word), the vocabulary pieces found in it as lattice edges (start, end, piece) sorted by end,
 * and what the trainer computes on them: expected piece counts (forward-backward, the E-step) and the best
 * segmentation (Viterbi, for pruning).
 */
final class UnigramLattices {

    final int[][] starts;
    final int[][] ends;
    final int[][] ids;
    final int[] lengths;

    UnigramLattices(int[][] text, UnigramModel model, int maxPieceLength) {
        int n = text.length;
        lengths = new int[n];
        starts = new int[n][];
        ends = new int[n][];
        ids = new int[n][];
        int[] bs = new int[4096];
        int[] be = new int[4096];
        int[] bi = new int[4096];
        for (int s = 0; s < n; s++) {
            int[] t = text[s];
            lengths[s] = t.length;
            int m = 0;
            // by end position, then start: iterate ends, and starts backwards
            for (int end = 1; end <= t.length; end++) {
                for (int start = Math.max(0, end - maxPieceLength); start < end; start++) {
                    if (UnigramModel.maxLengthAt(t, start, end - start) < end - start) {
                        continue;
                    }
                    Integer id = model.index.get(new String(t, start, end - start));
                    if (id != null) {
                        if (m == bs.length) {
                            bs = Arrays.copyOf(bs, m * 2);
                            be = Arrays.copyOf(be, m * 2);
                            bi = Arrays.copyOf(bi, m * 2);
                        }
                        bs[m] = start;
                        be[m] = end;
                        bi[m] = id;
                        m++;
                    }
                }
            }
            starts[s] = Arrays.copyOf(bs, m);
            ends[s] = Arrays.copyOf(be, m);
            ids[s] = Arrays.copyOf(bi, m);
        }
    }


    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi + StrictMath.log1p(StrictMath.exp(lo - hi));
    }

    /**
     * Adds the expected count of each piece in sentence {@code s} (times its frequency) to {@code expected}; returns
     * {@code freq * log Z}, or 0 when the sentence has no segmentation.
     */
    static double expectSentence(int s, int length, UnigramLattices l, double freq, double[] scores, double[] expected,
                                 double[] alpha, double[] beta) {
        int[] st = l.starts[s];
        int[] en = l.ends[s];
        int[] id = l.ids[s];
        Arrays.fill(alpha, 0, length + 1, Double.NEGATIVE_INFINITY);
        Arrays.fill(beta, 0, length + 1, Double.NEGATIVE_INFINITY);
        alpha[0] = 0;
        for (int e = 0; e < st.length; e++) {
            alpha[en[e]] = logAdd(alpha[en[e]], alpha[st[e]] + scores[id[e]]);
        }
        double z = alpha[length];
        if (z == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        beta[length] = 0;
        for (int e = st.length - 1; e >= 0; e--) {
            beta[st[e]] = logAdd(beta[st[e]], scores[id[e]] + beta[en[e]]);
        }
        for (int e = 0; e < st.length; e++) {
            double a = alpha[st[e]];
            double b = beta[en[e]];
            if (a == Double.NEGATIVE_INFINITY || b == Double.NEGATIVE_INFINITY) {
                continue;
            }
            expected[id[e]] += freq * StrictMath.exp(a + scores[id[e]] + b - z);
        }
        return freq * z;
    }

    /** Best segmentation of sentence {@code s}: piece ids in order, or null when there is none. */
    static int[] viterbi(int s, int length, UnigramLattices l, double[] scores, double[] best, int[] back) {
        int[] st = l.starts[s];
        int[] en = l.ends[s];
        int[] id = l.ids[s];
        Arrays.fill(best, 0, length + 1, Double.NEGATIVE_INFINITY);
        best[0] = 0;
        for (int e = 0; e < st.length; e++) {
            double v = best[st[e]] + scores[id[e]];
            if (v > best[en[e]]) {
                best[en[e]] = v;
                back[en[e]] = e;
            }
        }
        if (best[length] == Double.NEGATIVE_INFINITY) {
            return null;
        }
        int count = 0;
        for (int pos = length; pos > 0; pos = st[back[pos]]) {
            count++;
        }
        int[] path = new int[count];
        for (int pos = length, i = count - 1; pos > 0; pos = st[back[pos]], i--) {
            path[i] = id[back[pos]];
        }
        return path;
    }
}
