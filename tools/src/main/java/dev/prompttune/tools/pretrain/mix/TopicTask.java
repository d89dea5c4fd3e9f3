package dev.prompttune.tools.pretrain.mix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The topic task of the promptability mixture: options first, then a passage; answer with the option that names
 * the passage's topic, a word that need not occur in the passage.
 *
 * <p>Why: the 5-class evaluation tasks (genre, fortune topic) ask for a label word that is rarely in the passage
 * ("religion" for a passage about a parish), so the frozen model must already associate a passage with a word it
 * does not contain, and choose among words in front of the text, which is where a label-initialised prompt's
 * vectors sit. The keyword task teaches reading and copying; this one teaches association (PPT's lesson: pretrain
 * the format the prompt will be used in).
 *
 * <p>Topics: spherical k-means over the passages' TF-IDF vectors ({@link PassageClusters}) with {@value #CLUSTERS}
 * groups; a group is named by the answer-pool words ({@link LabelWords}: single tokens, every evaluation label word
 * left out) that its passages use most over their corpus rate: score {@code P(w|g) · log(P(w|g) / P(w))}, top
 * {@value #NAMES_PER_TOPIC}, each in at least {@value #MIN_SHARE} of the group's passages and not one of the
 * commonest words. An example's answer is one name of its passage's group; the other 1–4 options are names of other
 * groups that do not occur in the passage; the answer itself is taken out of the passage half of the time, so that
 * copying alone does not solve the task.
 */
final class TopicTask {

    static final int CLUSTERS = 48;
    static final int NAMES_PER_TOPIC = 5;
    static final double MIN_SHARE = 0.04;
    static final int MIN_GROUP = 20;
    static final double HIDE_ANSWER = 0.5;
    /** A name is used in its group at least this many times as often as in the corpus. */
    static final double MIN_LIFT = 2;
    /** The group of a passage the task does not ask about (source task only). */
    static final int UNNAMED = -1;

    private final int[] group;
    /** Names of each group; empty for groups too small or too vague to name. */
    private final List<List<String>> names;
    private final List<Integer> named;

    private TopicTask(int[] group, List<List<String>> names) {
        this.group = group;
        this.names = names;
        List<Integer> ok = new ArrayList<>();
        for (int g = 0; g < names.size(); g++) {
            if (!names.get(g).isEmpty()) {
                ok.add(g);
            }
        }
        this.named = List.copyOf(ok);
    }

    /**
     * Groups and their names over {@code passages}.
     *
     * @param pool the words a name may be (single tokens, evaluation label words left out)
     * @param functionWords the commonest words, never a name
     * @param clusters number of k-means groups ({@link #CLUSTERS} in the mixture)
     */
    static TopicTask of(List<Passage> passages, PassageClusters vectors, Set<String> pool,
                        KeywordTask functionWords, int clusters, long seed) {
        int[] group = vectors.kMeans(Math.min(clusters, passages.size()), seed);
        int k = 0;
        for (int g : group) {
            k = Math.max(k, g + 1);
        }
        int[] size = new int[k];
        Map<String, Integer> df = new HashMap<>();
        List<Map<String, Integer>> dfByGroup = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            dfByGroup.add(new HashMap<>());
        }
        for (int i = 0; i < passages.size(); i++) {
            size[group[i]]++;
            for (String w : Passages.normalizedWords(passages.get(i).text())) {
                if (pool.contains(w) && !functionWords.isFunctionWord(w)) {
                    df.merge(w, 1, Integer::sum);
                    dfByGroup.get(group[i]).merge(w, 1, Integer::sum);
                }
            }
        }
        double n = passages.size();
        List<List<String>> names = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            List<String> best = new ArrayList<>();
            if (size[g] >= MIN_GROUP) {
                int members = size[g];
                List<Map.Entry<String, Integer>> words = new ArrayList<>(dfByGroup.get(g).entrySet());
                words.removeIf(e -> e.getValue() < MIN_SHARE * members
                        || e.getValue() / (double) members < MIN_LIFT * df.get(e.getKey()) / n);
                Map<String, Double> score = new HashMap<>();
                for (Map.Entry<String, Integer> e : words) {
                    double inGroup = e.getValue() / (double) members;
                    score.put(e.getKey(), inGroup * Math.log(inGroup / (df.get(e.getKey()) / n)));
                }
                words.sort((a, b) -> {
                    int c = Double.compare(score.get(b.getKey()), score.get(a.getKey()));
                    return c != 0 ? c : a.getKey().compareTo(b.getKey());
                });
                for (int j = 0; j < Math.min(NAMES_PER_TOPIC, words.size()); j++) {
                    best.add(words.get(j).getKey());
                }
            }
            names.add(best.size() >= 2 ? List.copyOf(best) : List.of());
        }
        return new TopicTask(group, names);
    }

    /**
     * The source task: the same questions, with a passage's group its document's source (a fortune file or a Brown
     * category, {@link DocumentSources}) and the group's one name the source's own name ({@code fortune/love} →
     * {@code love}). Only sources that no evaluation task classifies are asked, each named only when its name is a
     * plain lower-case word (not {@code men-women}), not one of {@code excluded} (the evaluation label words) and it
     * has at least {@value #MIN_GROUP} passages; the other passages are not asked. A name need not be one token
     * ({@code paradoxum}): the answer pool's frequent single tokens hold only six of the sources' names.
     *
     * <p>Why: the fortune and genre tasks ask which of a few words names where a short text comes from. Their own
     * sources are off limits, but the other 30-odd fortune files (law, food, medicine, sports, …) and Brown's
     * categories outside the five genres (lore, hobbies, humor) pose the same question with other names.
     */
    static TopicTask ofSources(List<Passage> passages, DocumentSources sources, Set<String> excluded) {
        sources.requireCovers(passages);
        String[] nameOf = new String[passages.size()];
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < passages.size(); i++) {
            nameOf[i] = sourceName(sources.unevaluatedSource(passages.get(i).document()), excluded);
            if (nameOf[i] != null) {
                count.merge(nameOf[i], 1, Integer::sum);
            }
        }
        List<String> ordered = new ArrayList<>(count.keySet());
        ordered.removeIf(n -> count.get(n) < MIN_GROUP);
        java.util.Collections.sort(ordered);
        Map<String, Integer> index = new HashMap<>();
        List<List<String>> names = new ArrayList<>();
        for (String n : ordered) {
            index.put(n, names.size());
            names.add(List.of(n));
        }
        int[] group = new int[passages.size()];
        for (int i = 0; i < passages.size(); i++) {
            group[i] = nameOf[i] == null ? UNNAMED : index.getOrDefault(nameOf[i], UNNAMED);
        }
        return new TopicTask(group, names);
    }

    /** A source's name when it is a plain word and not excluded ({@code fortune/law} → law), else null. */
    private static String sourceName(String source, Set<String> excluded) {
        if (source == null) {
            return null;
        }
        String name = source.substring(source.indexOf('/') + 1);
        return name.matches("[a-z]{3,}") && !excluded.contains(name) ? name : null;
    }

    /** Whether passage {@code i} has a named group (only those are asked). */
    boolean asks(int passage) {
        return group[passage] != UNNAMED && !names.get(group[passage]).isEmpty() && named.size() >= 2;
    }

    /** Every group's names (the words options are drawn from). */
    List<List<String>> names() {
        return names;
    }

    /**
     * Options (answer among them, shuffled) and the answer for a passage of group {@code group(passage)} whose
     * words (as fed to the model) are {@code inText}; null when too few other groups have a name absent from it.
     */
    Question question(int passage, Set<String> inText, SplittableRandom random) {
        List<String> own = names.get(group[passage]);
        String answer = own.get(random.nextInt(own.size()));
        int options = 2 + random.nextInt(4);
        List<String> words = new ArrayList<>();
        words.add(answer);
        Set<Integer> used = new HashSet<>();
        used.add(group[passage]);
        for (int attempt = 0; attempt < 50 && words.size() < options; attempt++) {
            int g = named.get(random.nextInt(named.size()));
            if (used.contains(g)) {
                continue;
            }
            String w = names.get(g).get(random.nextInt(names.get(g).size()));
            if (!inText.contains(w) && !words.contains(w) && !own.contains(w)) {
                words.add(w);
                used.add(g);
            }
        }
        if (words.size() < 2) {
            return null;
        }
        PromptabilityMixture.shuffle(words, random);
        return new Question(List.copyOf(words), answer, random.nextDouble() < HIDE_ANSWER);
    }

    /** One example's options, answer, and whether the answer is taken out of the passage. */
    record Question(List<String> options, String answer, boolean hideAnswer) {}
}
