package dev.prompttune.tools.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A unigram language-model tokenizer trainer in the manner of sentencepiece's {@code unigram_model_trainer}
 * (Kudo 2018):
 *
 * <ol>
 *   <li>words (normalised text split at spaces, each marked with a leading {@code ▁}) are counted;</li>
 *   <li>the characters covering {@link Options#characterCoverage} of the text (plus a fixed set of common Latin
 *       characters) are required pieces; words are cut at any other character;</li>
 *   <li>seed pieces: the most frequent substrings (by frequency × length) of at most {@link Options#maxPieceLength}
 *       characters that do not cross a script boundary (letters / digits / punctuation and symbols / ...) and
 *       hold {@code ▁} only at their start;</li>
 *   <li>EM: expected piece counts by forward-backward over each word's lattice, new log-probabilities with
 *       sentencepiece's Bayesian (digamma) update, pieces expected less than 0.5 times dropped;</li>
 *   <li>pruning: each piece's loss is the drop in likelihood if its occurrences were segmented by the best
 *       alternative; the pieces with the smallest loss go, keeping {@link Options#shrinkingFactor} of them each
 *       round, until the vocabulary is within 10% of the target; then two more EM steps;</li>
 *   <li>final vocabulary: the required characters and the highest-scoring pieces, sorted by score (so lower ids are
 *       more frequent, as in T5's vocabulary).</li>
 * </ol>
 *
 * <p>Deterministic: words are processed in sorted order, in fixed chunks whose partial sums are added in order
 * (whatever the number of threads), with {@link StrictMath} for logarithms and exponentials.
 */
public final class UnigramTrainer {

    /** Training settings. */
    public record Options(int pieces, int maxPieceLength, int seedSize, double characterCoverage,
                          double shrinkingFactor, int emIterations, int maxWordLength, int threads) {

        /** {@code pieces} normal pieces (the vocabulary without special tokens), sentencepiece's other defaults. */
        public static Options defaults(int pieces) {
            return new Options(pieces, 16, 200_000, 0.9995, 0.75, 2, 64,
                    Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        }

        public Options withThreads(int n) {
            return new Options(pieces, maxPieceLength, seedSize, characterCoverage, shrinkingFactor, emIterations,
                    maxWordLength, n);
        }

        public Options withSeedSize(int n) {
            return new Options(pieces, maxPieceLength, n, characterCoverage, shrinkingFactor, emIterations,
                    maxWordLength, threads);
        }
    }

    /** A trained vocabulary: pieces in id order (highest score first) and their log-probabilities. */
    public record Vocabulary(List<String> pieces, float[] scores) {}

    /**
     * Characters always in the vocabulary, frequent or not: printable ASCII, Latin-1 letters and signs, and common
     * typographic punctuation, so that ordinary Western text never meets {@code <unk>}.
     */
    static final String FORCED_CHARACTERS;

    static {
        StringBuilder b = new StringBuilder();
        for (int c = 0x21; c < 0x7F; c++) {
            b.append((char) c);
        }
        for (int c = 0xA1; c <= 0xFF; c++) {
            b.append((char) c);
        }
        // dashes, curly quotes, bullet, fraction slash (NFKC writes ½ as 1⁄2), euro
        b.append("\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2044\u20AC");
        // only what survives normalisation (NFKC folds ª ² ³ ¹ º ¼ ½ ¾ ´ ¨ ¯ ¸ and the soft hyphen is format)
        StringBuilder kept = new StringBuilder();
        b.codePoints().forEach(cp -> {
            String s = new String(Character.toChars(cp));
            if (TextNormalizer.normalize(s).equals(s) && Character.getType(cp) != Character.FORMAT) {
                kept.appendCodePoint(cp);
            }
        });
        FORCED_CHARACTERS = kept.toString();
    }

    private static final int CHUNKS = 16;
    private static final double EXPECTED_FREQUENCY_THRESHOLD = 0.5;

    private final Options options;
    private final Consumer<String> log;

    public UnigramTrainer(Options options, Consumer<String> log) {
        this.options = options;
        this.log = log == null ? s -> { } : log;
    }

    // ------------------------------------------------------------------------------------------------ input

    /** Counts of the {@code ▁}-marked words of {@code lines} (each normalised first). */
    public static Map<String, Long> countWords(Iterable<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            String n = TextNormalizer.normalize(line);
            if (n.isEmpty()) {
                continue;
            }
            for (String w : n.split(" ")) {
                counts.merge(TextNormalizer.META + w, 1L, Long::sum);
            }
        }
        return counts;
    }

    // ------------------------------------------------------------------------------------------------ training

    /** Trains on word counts ({@code ▁}-marked words, as {@link #countWords} gives). */
    public Vocabulary train(Map<String, Long> wordCounts) {
        long t0 = System.nanoTime();
        TreeMap<String, Long> words = new TreeMap<>(wordCounts);

        // Required characters: by frequency until the coverage is reached, plus the forced ones and ▁.
        Map<Integer, Long> charCounts = new HashMap<>();
        long totalChars = 0;
        for (Map.Entry<String, Long> e : words.entrySet()) {
            String w = e.getKey();
            for (int i = 0; i < w.length(); ) {
                int cp = w.codePointAt(i);
                i += Character.charCount(cp);
                charCounts.merge(cp, e.getValue(), Long::sum);
                totalChars += e.getValue();
            }
        }
        List<Map.Entry<Integer, Long>> byFrequency = new ArrayList<>(charCounts.entrySet());
        byFrequency.sort(Map.Entry.<Integer, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        TreeSet<Integer> required = new TreeSet<>();
        long covered = 0;
        for (Map.Entry<Integer, Long> e : byFrequency) {
            if ((double) covered / totalChars >= options.characterCoverage()) {
                break;
            }
            required.add(e.getKey());
            covered += e.getValue();
        }
        FORCED_CHARACTERS.codePoints().forEach(required::add);
        required.add(TextNormalizer.META.codePointAt(0));
        if (required.size() >= options.pieces()) {
            throw new IllegalArgumentException("a vocabulary of " + options.pieces() + " pieces cannot hold the "
                    + required.size() + " required characters");
        }

        // Sentences: words cut at characters outside the required set, too-long ones dropped; merged and sorted.
        TreeMap<String, Long> segments = new TreeMap<>();
        for (Map.Entry<String, Long> e : words.entrySet()) {
            String w = e.getKey();
            int start = 0;
            int i = 0;
            while (i <= w.length()) {
                int cp = i < w.length() ? w.codePointAt(i) : -1;
                if (cp == -1 || !required.contains(cp)) {
                    if (i > start) {
                        String seg = w.substring(start, i);
                        if (seg.codePointCount(0, seg.length()) <= options.maxWordLength()) {
                            segments.merge(seg, e.getValue(), Long::sum);
                        }
                    }
                    if (cp == -1) {
                        break;
                    }
                    i += Character.charCount(cp);
                    start = i;
                } else {
                    i += Character.charCount(cp);
                }
            }
        }
        int n = segments.size();
        int[][] text = new int[n][];
        double[] freq = new double[n];
        int k = 0;
        for (Map.Entry<String, Long> e : segments.entrySet()) {
            text[k] = e.getKey().codePoints().toArray();
            freq[k] = e.getValue();
            k++;
        }
        log.accept(String.format("%d distinct words, %d training segments, %d required characters (%.0f ms)",
                words.size(), n, required.size(), (System.nanoTime() - t0) / 1e6));

        // Seed pieces.
        Model model = seed(text, freq, required);
        log.accept(String.format("%d seed pieces (%.0f ms)", model.size(), (System.nanoTime() - t0) / 1e6));

        int desired = (int) (options.pieces() * 1.1);
        try (Pool pool = new Pool(options.threads())) {
            for (int round = 0; ; round++) {
                Lattices lattices = new Lattices(text, model, options.maxPieceLength());
                for (int it = 0; it < options.emIterations(); it++) {
                    double[] expected = new double[model.size()];
                    double objective = pool.expect(lattices, freq, model, expected);
                    model = mStep(model, expected);
                    lattices = new Lattices(text, model, options.maxPieceLength());
                    log.accept(String.format("round %d em %d: %d pieces, objective %.4f (%.0f ms)", round, it,
                            model.size(), -objective / Arrays.stream(freq).sum(), (System.nanoTime() - t0) / 1e6));
                }
                if (model.size() <= desired) {
                    break;
                }
                model = prune(model, lattices, freq, desired);
            }
        }
        Vocabulary v = finish(model);
        log.accept(String.format("%d pieces in %.1f s", v.pieces().size(), (System.nanoTime() - t0) / 1e9));
        return v;
    }

    // ------------------------------------------------------------------------------------------------ model

    /** Pieces (as code point strings) with scores; {@code required[i]} for the required characters. */
    static final class Model {
        final String[] pieces;
        final double[] scores;
        final boolean[] required;
        final HashMap<String, Integer> index;

        Model(String[] pieces, double[] scores, boolean[] required) {
            this.pieces = pieces;
            this.scores = scores;
            this.required = required;
            this.index = new HashMap<>(pieces.length * 2);
            for (int i = 0; i < pieces.length; i++) {
                index.put(pieces[i], i);
            }
        }

        int size() {
            return pieces.length;
        }
    }

    /** Character class for script boundaries: digits, letters by script (CJK as one), everything else common. */
    static int charClass(int cp) {
        if (Character.isDigit(cp)) {
            return -2;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return switch (s) {
            case HAN, HIRAGANA, KATAKANA -> Character.UnicodeScript.HAN.ordinal();
            case INHERITED -> -3; // combining marks join the previous character's class
            default -> s.ordinal();
        };
    }

    /** The longest valid piece length starting at {@code i} (up to {@code max}). */
    static int maxLengthAt(int[] t, int i, int max) {
        int meta = TextNormalizer.META.codePointAt(0);
        int cls = Integer.MIN_VALUE;
        int len = 0;
        for (int j = i; j < t.length && len < max; j++, len++) {
            int cp = t[j];
            if (cp == meta) {
                if (j != i) {
                    break;
                }
                continue;
            }
            int c = charClass(cp);
            if (c == -3) {
                continue;
            }
            if (cls == Integer.MIN_VALUE) {
                cls = c;
            } else if (c != cls) {
                break;
            }
        }
        return len;
    }

    private Model seed(int[][] text, double[] freq, TreeSet<Integer> required) {
        HashMap<String, double[]> counts = new HashMap<>();
        for (int s = 0; s < text.length; s++) {
            int[] t = text[s];
            for (int i = 0; i < t.length; i++) {
                int max = maxLengthAt(t, i, options.maxPieceLength());
                for (int len = 2; len <= max; len++) {
                    String piece = new String(t, i, len);
                    double[] c = counts.get(piece);
                    if (c == null) {
                        counts.put(piece, new double[] {freq[s]});
                    } else {
                        c[0] += freq[s];
                    }
                }
            }
        }
        Map<Integer, Double> charFreq = new HashMap<>();
        for (int s = 0; s < text.length; s++) {
            for (int cp : text[s]) {
                charFreq.merge(cp, freq[s], Double::sum);
            }
        }
        // Substrings seen at least twice, by frequency × length, ties by text.
        List<Map.Entry<String, double[]>> candidates = new ArrayList<>();
        for (Map.Entry<String, double[]> e : counts.entrySet()) {
            if (e.getValue()[0] >= 2) {
                candidates.add(e);
            }
        }
        counts = null;
        Comparator<Map.Entry<String, double[]>> byScore = Comparator.comparingDouble(
                (Map.Entry<String, double[]> e) -> -e.getValue()[0] * e.getKey().codePointCount(0, e.getKey().length()));
        candidates.sort(byScore.thenComparing(Map.Entry::getKey));
        int keep = Math.min(candidates.size(), Math.max(0, options.seedSize() - required.size()));
        String[] pieces = new String[required.size() + keep];
        double[] f = new double[pieces.length];
        boolean[] req = new boolean[pieces.length];
        int k = 0;
        for (int cp : required) {
            pieces[k] = new String(Character.toChars(cp));
            f[k] = Math.max(1.0, charFreq.getOrDefault(cp, 0.0));
            req[k] = true;
            k++;
        }
        for (int i = 0; i < keep; i++) {
            pieces[k] = candidates.get(i).getKey();
            f[k] = candidates.get(i).getValue()[0];
            k++;
        }
        double sum = Arrays.stream(f).sum();
        double logSum = StrictMath.log(sum);
        double[] scores = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            scores[i] = StrictMath.log(f[i]) - logSum;
        }
        return new Model(pieces, scores, req);
    }

    // ------------------------------------------------------------------------------------------------ lattices

    /** For every sentence, the vocabulary pieces found in it: edges (start, end, piece) sorted by end. */
    static final class Lattices {
        final int[][] starts;
        final int[][] ends;
        final int[][] ids;
        final int[] lengths;

        Lattices(int[][] text, Model model, int maxPieceLength) {
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
                        if (maxLengthAt(t, start, end - start) < end - start) {
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
    static double expectSentence(int s, int length, Lattices l, double freq, double[] scores, double[] expected,
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
    static int[] viterbi(int s, int length, Lattices l, double[] scores, double[] best, int[] back) {
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

    /** Runs per-chunk work on a fixed number of threads; chunk results are combined in chunk order. */
    static final class Pool implements AutoCloseable {
        private final ExecutorService executor;

        Pool(int threads) {
            this.executor = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "unigram-trainer");
                t.setDaemon(true);
                return t;
            }) : null;
        }

        <T> List<T> map(int chunks, java.util.function.IntFunction<T> work) {
            List<T> out = new ArrayList<>(chunks);
            if (executor == null) {
                for (int c = 0; c < chunks; c++) {
                    out.add(work.apply(c));
                }
                return out;
            }
            List<Future<T>> futures = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                final int chunk = c;
                futures.add(executor.submit(() -> work.apply(chunk)));
            }
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        }

        /** E-step over all sentences; fills {@code expected}, returns the total log-likelihood. */
        double expect(Lattices l, double[] freq, Model model, double[] expected) {
            int n = freq.length;
            record Part(double[] expected, double objective) {}
            List<Part> parts = map(CHUNKS, c -> {
                double[] e = new double[model.size()];
                double[] alpha = new double[256];
                double[] beta = new double[256];
                double obj = 0;
                for (int s = c * n / CHUNKS; s < (c + 1) * n / CHUNKS; s++) {
                    int len = l.lengths[s];
                    if (len + 1 > alpha.length) {
                        alpha = new double[len + 1];
                        beta = new double[len + 1];
                    }
                    obj += expectSentence(s, len, l, freq[s], model.scores, e, alpha, beta);
                }
                return new Part(e, obj);
            });
            double objective = 0;
            for (Part p : parts) {
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += p.expected[i];
                }
                objective += p.objective;
            }
            return objective;
        }

        @Override
        public void close() {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ EM, pruning

    /** sentencepiece's digamma approximation. */
    static double digamma(double x) {
        double result = 0;
        for (; x < 7; ++x) {
            result -= 1 / x;
        }
        x -= 0.5;
        double xx = 1.0 / x;
        double xx2 = xx * xx;
        double xx4 = xx2 * xx2;
        result += StrictMath.log(x) + (1.0 / 24.0) * xx2 - (7.0 / 960.0) * xx4 + (31.0 / 8064.0) * xx4 * xx2
                - (127.0 / 30720.0) * xx4 * xx4;
        return result;
    }

    /** M-step: Bayesian update of the scores; pieces expected less than 0.5 times are dropped (not characters). */
    private Model mStep(Model model, double[] expected) {
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= EXPECTED_FREQUENCY_THRESHOLD || model.required[i]) {
                sum += Math.max(expected[i], EXPECTED_FREQUENCY_THRESHOLD);
            }
        }
        double logSum = digamma(sum);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= EXPECTED_FREQUENCY_THRESHOLD || model.required[i]) {
                kept.add(i);
            }
        }
        String[] pieces = new String[kept.size()];
        double[] scores = new double[kept.size()];
        boolean[] req = new boolean[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            int i = kept.get(k);
            pieces[k] = model.pieces[i];
            scores[k] = digamma(Math.max(expected[i], EXPECTED_FREQUENCY_THRESHOLD)) - logSum;
            req[k] = model.required[i];
        }
        return new Model(pieces, scores, req);
    }

    /** Keeps the {@code max(desired, shrinkingFactor * size)} pieces whose removal would cost the most. */
    private Model prune(Model model, Lattices lattices, double[] freq, int desired) {
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
            int[] path = viterbi(s, len, lattices, model.scores, best, back);
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
        Lattices own = new Lattices(pieceText, model, options.maxPieceLength());
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
        return new Model(pieces, scores, req);
    }

    /** Required characters plus the best other pieces, up to {@link Options#pieces()}, sorted by score. */
    private Vocabulary finish(Model model) {
        double minScore = Arrays.stream(model.scores).min().orElse(0);
        record Entry(String piece, double score) {}
        List<Entry> chosen = new ArrayList<>();
        List<Entry> others = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            if (model.required[i]) {
                chosen.add(new Entry(model.pieces[i], Double.isFinite(model.scores[i]) ? model.scores[i] : minScore));
            } else {
                others.add(new Entry(model.pieces[i], model.scores[i]));
            }
        }
        Comparator<Entry> byScore = Comparator.comparingDouble(Entry::score).reversed()
                .thenComparing(Entry::piece);
        others.sort(byScore);
        for (Entry e : others) {
            if (chosen.size() >= options.pieces()) {
                break;
            }
            chosen.add(e);
        }
        chosen.sort(byScore);
        List<String> pieces = new ArrayList<>(chosen.size());
        float[] scores = new float[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            pieces.add(chosen.get(i).piece());
            scores[i] = (float) chosen.get(i).score();
        }
        return new Vocabulary(List.copyOf(pieces), scores);
    }
}
