package dev.prompttune.core;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …?" for misspelt keywords and names: the nearest known name by edit distance (transpositions count one). */
public final class Suggestions {

    private Suggestions() {}

    /** The nearest of {@code known} to {@code word}, or null when none is close (at most 2 edits; 3 for long words). */
    public static String nearest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = word.length() <= 3 ? 1 : word.length() <= 8 ? 2 : 3;
        return bestDistance <= allowed ? best : null;
    }

    /** {@code "; did you mean 'x'?"}, or the empty string. */
    public static String didYouMean(String word, Collection<String> known) {
        String n = nearest(word, known);
        return n == null ? "" : "; did you mean '" + n + "'?";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
