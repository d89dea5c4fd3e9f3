package dev.prompttune.tools.pretrain.mix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Spherical k-means over TF-IDF vectors of passages: unsupervised topic and style groups, the labels of the
 * mixture's clustering tasks. To answer "which group is this passage in" the model must read topic and register
 * from its input — the features a prompt later selects for spam, genre or topic — while no human label of any
 * evaluation task is used.
 *
 * <p>Terms: normalised words ({@link Passages#normalize}) in at least {@value #MIN_DF} passages and at most half of
 * them. Weights: {@code tf · log(N / df)}, each vector L2-normalised; similarity is the dot product with the
 * (normalised) centroids. Initial centroids: {@code k} distinct passages drawn with the seed.
 */
public final class PassageClusters {

    static final int MIN_DF = 5;
    static final int ITERATIONS = 15;

    private final int[][] terms;
    private final float[][] weights;
    private final int vocabulary;

    private PassageClusters(int[][] terms, float[][] weights, int vocabulary) {
        this.terms = terms;
        this.weights = weights;
        this.vocabulary = vocabulary;
    }

    /** TF-IDF vectors of {@code passages}. */
    public static PassageClusters of(List<Passage> passages) {
        Map<String, Integer> df = new HashMap<>();
        List<Map<String, Integer>> counts = new ArrayList<>(passages.size());
        for (Passage p : passages) {
            Map<String, Integer> c = new HashMap<>();
            for (String w : p.words()) {
                String n = Passages.normalize(w);
                if (n.length() > 1) {
                    c.merge(n, 1, Integer::sum);
                }
            }
            counts.add(c);
            c.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
        }
        Map<String, Integer> index = new HashMap<>();
        int n = passages.size();
        df.entrySet().stream().filter(e -> e.getValue() >= MIN_DF && e.getValue() <= n / 2)
                .map(Map.Entry::getKey).sorted().forEach(t -> index.put(t, index.size()));
        int[][] terms = new int[n][];
        float[][] weights = new float[n][];
        for (int i = 0; i < n; i++) {
            List<int[]> kept = new ArrayList<>();
            for (Map.Entry<String, Integer> e : counts.get(i).entrySet()) {
                Integer t = index.get(e.getKey());
                if (t != null) {
                    kept.add(new int[] {t, e.getValue()});
                }
            }
            kept.sort((a, b) -> Integer.compare(a[0], b[0]));
            terms[i] = new int[kept.size()];
            weights[i] = new float[kept.size()];
            for (int j = 0; j < kept.size(); j++) {
                terms[i][j] = kept.get(j)[0];
                weights[i][j] = kept.get(j)[1];
            }
        }
        // Term frequencies times idf, then unit length.
        int[] dfById = new int[index.size()];
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            dfById[e.getValue()] = df.get(e.getKey());
        }
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < terms[i].length; j++) {
                weights[i][j] = (float) (weights[i][j] * Math.log((double) n / dfById[terms[i][j]]));
                norm += weights[i][j] * weights[i][j];
            }
            float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int j = 0; j < terms[i].length; j++) {
                weights[i][j] *= inv;
            }
        }
        return new PassageClusters(terms, weights, index.size());
    }

    /** Number of terms kept. */
    public int vocabulary() {
        return vocabulary;
    }

    /**
     * The group of every passage after spherical k-means with {@code k} groups.
     *
     * @return an array of {@code passages.size()} group ids in {@code [0, k)}
     */
    public int[] kMeans(int k, long seed) {
        int n = terms.length;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centroids = new float[k][vocabulary];
        if (n < k) {
            throw new IllegalArgumentException(k + " groups asked of " + n + " passages");
        }
        // Seeds among passages with terms; a corpus too small to have k of them (a test's) seeds with any passages,
        // and its empty vectors all land in group 0.
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (terms[i].length > 0) {
                candidates.add(i);
            }
        }
        if (candidates.size() < k) {
            candidates.clear();
            for (int i = 0; i < n; i++) {
                candidates.add(i);
            }
        }
        java.util.Set<Integer> seeds = new java.util.LinkedHashSet<>();
        while (seeds.size() < k) {
            seeds.add(candidates.get(random.nextInt(candidates.size())));
        }
        int c0 = 0;
        for (int i : seeds) {
            add(centroids[c0++], i, 1f);
        }
        int[] assignment = new int[n];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int j = 0; j < terms[i].length; j++) {
                        s += weights[i][j] * centroids[c][terms[i][j]];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                assignment[i] = best;
            }
            centroids = new float[k][vocabulary];
            for (int i = 0; i < n; i++) {
                add(centroids[assignment[i]], i, 1f);
            }
            for (float[] c : centroids) {
                double norm = 0;
                for (float v : c) {
                    norm += v * v;
                }
                if (norm > 0) {
                    float inv = (float) (1 / Math.sqrt(norm));
                    for (int t = 0; t < c.length; t++) {
                        c[t] *= inv;
                    }
                }
            }
        }
        return assignment;
    }

    private void add(float[] centroid, int passage, float scale) {
        for (int j = 0; j < terms[passage].length; j++) {
            centroid[terms[passage][j]] += scale * weights[passage][j];
        }
    }
}
