package dev.prompttune.tools.pretrain.mix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The keyword task of the promptability mixture: read a passage, answer with one of its content words.
 *
 * <p>Why: a soft prompt reaches the output only through the decoder's cross-attention, so the frozen model must
 * already answer a short question from what its encoder read. Span corruption at this size does not teach that
 * (models/README.md, Promptability); a one-word answer that is a topical word of the input does, from the first
 * steps, and with a tied head it starts from the identity map (the word's input embedding is its output row).
 * What it leaves in the model is a topic-sensitive first-token distribution: after a passage about a church the
 * decoder gives more to the words of that topic, which is what a prompt over topic labels can steer.
 *
 * <p>Which word: a word of the passage (lower-cased letters and digits, at least {@value #MIN_LETTERS} characters,
 * not a number) that is not among the {@value #FUNCTION_WORDS} words found in the most passages, drawn with
 * probability proportional to its inverse document frequency, so topical words are asked more than common ones.
 * An answer is a single word of the passage itself, never a set of class names, so no evaluation task's label set
 * can appear as a task (the hold-out rule of issue #20).
 */
final class KeywordTask {

    static final int FUNCTION_WORDS = 150;
    static final int MIN_LETTERS = 3;

    private final Set<String> functionWords;
    private final Map<String, Double> idf;

    private KeywordTask(Set<String> functionWords, Map<String, Double> idf) {
        this.functionWords = functionWords;
        this.idf = idf;
    }

    /** Document frequencies over {@code passages} (each passage counts a word once). */
    static KeywordTask of(List<Passage> passages) {
        Map<String, Integer> df = new HashMap<>();
        for (Passage p : passages) {
            Set<String> seen = new HashSet<>();
            for (String w : p.words()) {
                String n = Passages.normalize(w);
                if (!n.isEmpty() && seen.add(n)) {
                    df.merge(n, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> byFrequency = new ArrayList<>(df.entrySet());
        byFrequency.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Set<String> function = new HashSet<>();
        for (int i = 0; i < Math.min(FUNCTION_WORDS, byFrequency.size()); i++) {
            function.add(byFrequency.get(i).getKey());
        }
        Map<String, Double> idf = new HashMap<>();
        double n = passages.size();
        df.forEach((w, f) -> idf.put(w, Math.log((n + 1) / f)));
        return new KeywordTask(Set.copyOf(function), idf);
    }

    /** The content words of {@code text} (each once, in order of first occurrence). */
    List<String> candidates(String text) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String w : text.split("\\s+")) {
            String n = Passages.normalize(w);
            if (n.length() >= MIN_LETTERS && !functionWords.contains(n) && hasLetter(n) && seen.add(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** One of {@code text}'s content words, drawn by inverse document frequency; null when it has none. */
    String answer(String text, SplittableRandom random) {
        return answer(text, null, random);
    }

    /** As {@link #answer(String, SplittableRandom)}, among the content words in {@code allowed} (null: all). */
    String answer(String text, Set<String> allowed, SplittableRandom random) {
        List<String> words = candidates(text);
        if (allowed != null) {
            words.removeIf(w -> !allowed.contains(w));
        }
        if (words.isEmpty()) {
            return null;
        }
        double total = 0;
        double[] weights = new double[words.size()];
        for (int i = 0; i < words.size(); i++) {
            weights[i] = idf.getOrDefault(words.get(i), 1.0);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < words.size(); i++) {
            if ((u -= weights[i]) < 0) {
                return words.get(i);
            }
        }
        return words.get(words.size() - 1);
    }

    boolean isFunctionWord(String word) {
        return functionWords.contains(word);
    }

    private static boolean hasLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
