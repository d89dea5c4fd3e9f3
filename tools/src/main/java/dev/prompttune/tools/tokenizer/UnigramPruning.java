package dev.prompttune.tools.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * sentencepiece's pruning step of Unigram training: drop the pieces whose removal costs the corpus likelihood
 * least (each piece's loss is measured by re-segmenting it with the others), keeping required characters, until
 * {@code shrinkingFactor} of the vocabulary or the desired size is left.
 */
final class UnigramPruning {

    private UnigramPruning() {}

    /** Keeps the {@code max(desired, shrinkingFactor * size)} pieces whose removal would cost the most. */
    static UnigramModel prune(UnigramModel model, UnigramLattices lattices, double[] freq, int desired,
                                      UnigramTrainer.Options options, Consumer<String> log) {
        int size = model.size();
        int n = freq.length;
        // Viterbi frequency of each piece, and the frequency of the sentences it appears in.
        double[] vfreq = new double[size];
        double[] sentenceFreq = new double[size];
        double vsum = 0;
        double[] best = new double[256];
        int[] back = new int[256];
        for (int s = 0; s < n; s++) {
            int len = lattices.lengths[s];
            if (len + 1 > best.length) {
                best = new double[len + 1];
                back = new int[len + 1];
            }
            int[] path = UnigramLattices.viterbi(s, len, lattices, model.scores, best, back);
            if (path == null) {
                continue;
            }
            vsum += freq[s];
            int[] distinct = Arrays.stream(path).distinct().toArray();
            for (int id : path) {
                vfreq[id] += freq[s];
            }
            for (int id : distinct) {
                sentenceFreq[id] += freq[s];
            }
        }
        // Each piece's best segmentation by the other pieces.
        int[][] alternatives = new int[size][];
        boolean[] alwaysKeep = new boolean[size];
        int[][] pieceText = new int[size][];
        for (int i = 0; i < size; i++) {
            pieceText[i] = model.pieces[i].codePoints().toArray();
        }
        UnigramLattices own = new UnigramLattices(pieceText, model, options.maxPieceLength());
        for (int i = 0; i < size; i++) {
            int len = pieceText[i].length;
            if (len == 1) {
                alwaysKeep[i] = true;
                alternatives[i] = new int[0];
                continue;
            }
            // Viterbi without the piece's own full-length edge.
            int[] st = own.starts[i];
            int[] en = own.ends[i];
            int[] id = own.ids[i];
            double[] b = new double[len + 1];
            int[] bk = new int[len + 1];
            Arrays.fill(b, Double.NEGATIVE_INFINITY);
            b[0] = 0;
            for (int e = 0; e < st.length; e++) {
                if (id[e] == i) {
                    continue;
                }
                double v = b[st[e]] + model.scores[id[e]];
                if (v > b[en[e]]) {
                    b[en[e]] = v;
                    bk[en[e]] = e;
                }
            }
            if (b[len] == Double.NEGATIVE_INFINITY) {
                alwaysKeep[i] = true;
                alternatives[i] = new int[0];
                continue;
            }
            if (b[len] > model.scores[i]) {
                alwaysKeep[i] = false; // its own Viterbi path splits it: it never wins, remove safely
                alternatives[i] = new int[0];
                continue;
            }
            alwaysKeep[i] = true;
            List<Integer> alt = new ArrayList<>();
            for (int pos = len; pos > 0; pos = st[bk[pos]]) {
                alt.add(0, id[bk[pos]]);
            }
            alternatives[i] = alt.stream().mapToInt(Integer::intValue).toArray();
        }
        double sum = Arrays.stream(vfreq).sum();
        double logSum = StrictMath.log(sum);
        record Candidate(int id, double loss) {}
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (model.required[i]) {
                keep.add(i);
                continue;
            }
            if (vfreq[i] == 0 || !alwaysKeep[i]) {
                continue; // not on any Viterbi path, or never its own best segmentation
            }
            double f = sentenceFreq[i] / vsum;
            double logProbSp = StrictMath.log(vfreq[i]) - logSum;
            double logSumAlt = StrictMath.log(sum + vfreq[i] * (alternatives[i].length - 1));
            double logProbAlt = 0;
            for (int a : alternatives[i]) {
                logProbAlt += StrictMath.log(vfreq[a] + vfreq[i]) - logSumAlt;
            }
            candidates.add(new Candidate(i, f * (logProbSp - logProbAlt)));
        }
        candidates.sort(Comparator.comparingDouble(Candidate::loss).reversed().thenComparingInt(Candidate::id));
        int target = Math.max(desired, (int) (options.shrinkingFactor() * size));
        for (Candidate c : candidates) {
            if (keep.size() >= target) {
                break;
            }
            keep.add(c.id());
        }
        keep.sort(null);
        String[] pieces = new String[keep.size()];
        double[] scores = new double[keep.size()];
        boolean[] req = new boolean[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            pieces[k] = model.pieces[keep.get(k)];
            scores[k] = model.scores[keep.get(k)];
            req[k] = model.required[keep.get(k)];
        }
        log.accept(String.format("pruned %d -> %d pieces", size, pieces.length));
        return new UnigramModel(pieces, scores, req);
    }
}
