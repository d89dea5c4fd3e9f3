package dev.prompttune.tools.pretrain.mix;

import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The words the mixture's tasks answer with: lower-case alphabetic words of at least three letters that are one
 * token each ({@code ▁word} is a vocabulary piece), among the frequent pieces (ids {@code [FROM, TO)}; the
 * tokenizer orders pieces by score, frequent first). Every word of the evaluation tasks' verbalizers is left out,
 * so no evaluation label set can appear in the mixture ({@link MixtureHoldOut} checks it again).
 */
public final class LabelWords {

    static final int FROM = 50;
    static final int TO = 3000;

    private final List<String> words;
    private final Set<String> excluded;

    private LabelWords(List<String> words, Set<String> excluded) {
        this.words = List.copyOf(words);
        this.excluded = Set.copyOf(excluded);
    }

    /** The pool of {@code tokenizer}, without the {@code excluded} words (the evaluation tasks' label words). */
    public static LabelWords of(T5Tokenizer tokenizer, Set<String> excluded) {
        List<String> out = new ArrayList<>();
        int to = Math.min(TO, tokenizer.vocabSize() - tokenizer.sentinelCount());
        for (int id = FROM; id < to; id++) {
            String piece = tokenizer.idToToken(id);
            if (!piece.startsWith("\u2581")) {
                continue;
            }
            String word = piece.substring(1);
            if (word.length() >= 3 && word.chars().allMatch(c -> c >= 'a' && c <= 'z') && !excluded.contains(word)) {
                out.add(word);
            }
        }
        return new LabelWords(out, excluded);
    }

    /** The words left out of the pool (the evaluation tasks' label words): no answer of any task may be one. */
    public Set<String> excluded() {
        return excluded;
    }

    public List<String> all() {
        return words;
    }

    /** {@code count} distinct words drawn at random. */
    public List<String> draw(int count, SplittableRandom random) {
        if (count > words.size()) {
            throw new IllegalArgumentException(count + " label words asked for, the pool has " + words.size());
        }
        List<String> pool = new ArrayList<>(words);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool.size() - i);
            String t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
            out.add(pool.get(i));
        }
        return out;
    }

    /** One word at random. */
    public String any(SplittableRandom random) {
        return words.get(random.nextInt(words.size()));
    }
}
