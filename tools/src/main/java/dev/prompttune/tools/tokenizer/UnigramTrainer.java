package dev.prompttune.tools.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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

    static final int CHUNKS = 16;
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
        UnigramModel model = seed(text, freq, required);
        log.accept(String.format("%d seed pieces (%.0f ms)", model.size(), (System.nanoTime() - t0) / 1e6));

        int desired = (int) (options.pieces() * 1.1);
        try (EStepPool pool = new EStepPool(options.threads())) {
            for (int round = 0; ; round++) {
                UnigramLattices lattices = new UnigramLattices(text, model, options.maxPieceLength());
                for (int it = 0; it < options.emIterations(); it++) {
                    double[] expected = new double[model.size()];
                    double objective = pool.expect(lattices, freq, model, expected);
                    model = mStep(model, expected);
                    lattices = new UnigramLattices(text, model, options.maxPieceLength());
                    log.accept(String.format("round %d em %d: %d pieces, objective %.4f (%.0f ms)", round, it,
                            model.size(), -objective / Arrays.stream(freq).sum(), (System.nanoTime() - t0) / 1e6));
                }
                if (model.size() <= desired) {
                    break;
                }
                model = UnigramPruning.prune(model, lattices, freq, desired, options, log);
            }
        }
        Vocabulary v = finish(model);
        log.accept(String.format("%d pieces in %.1f s", v.pieces().size(), (System.nanoTime() - t0) / 1e9));
        return v;
    }

    // ------------------------------------------------------------------------------------------------ model

    private UnigramModel seed(int[][] text, double[] freq, TreeSet<Integer> required) {
        HashMap<String, double[]> counts = new HashMap<>();
        for (int s = 0; s < text.length; s++) {
            int[] t = text[s];
            for (int i = 0; i < t.length; i++) {
                int max = UnigramModel.maxLengthAt(t, i, options.maxPieceLength());
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
        return new UnigramModel(pieces, scores, req);
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
    private UnigramModel mStep(UnigramModel model, double[] expected) {
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
        return new UnigramModel(pieces, scores, req);
    }

    /** Required characters plus the best other pieces, up to {@link Options#pieces()}, sorted by score. */
    private Vocabulary finish(UnigramModel model) {
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
