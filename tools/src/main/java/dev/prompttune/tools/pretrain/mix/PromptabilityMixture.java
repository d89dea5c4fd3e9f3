package dev.prompttune.tools.pretrain.mix;

import dev.prompttune.tools.pretrain.Example;
import dev.prompttune.tools.pretrain.SpanCorruption;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A promptability mixture in the spirit of PPT (Gu et al. 2022, "Pre-trained Prompt Tuning") and T5's multi-task
 * mixture, built only from the pretraining text: self-supervised classification tasks phrased text-to-text with a
 * one-word answer, plus some span corruption so the model stays a language model.
 *
 * <p>Why: a span-corruption model's first decoder step always predicts {@code <extra_id_0>}, so its decoder never
 * learns to read the encoder for a one-token answer, and a soft prompt (which only reaches the output through the
 * encoder) cannot steer it (measured: models/README.md). Here the first target token is the answer, and it can
 * only be found in the input.
 *
 * <p>Format: the encoder reads the task's answer words ("options"), then, half of the time, 1–18 random frequent
 * tokens, then the passage; the target is the right answer word and eos. That is the shape of a label-initialised
 * soft prompt (class-label embeddings, then sampled vocabulary, then the input), so the frozen model comes to prompt
 * tuning already answering with one of the words in front of the text, and a prompt only has to select the task:
 * <pre>
 *   input : dust money week  &lt;random tokens&gt;  Dear friend, you have been selected to receive ...
 *   target: money &lt;/s&gt;
 * </pre>
 *
 * <p>Tasks: {@link PassageClusters k-means groups} of TF-IDF vectors (k = 2–8, two seeds each; each task its own
 * answer words, classes drawn uniformly), which word of the options occurs in the passage (2–5 options, drawn per
 * example), whether a passage's words are shuffled, and whether the second half of a passage belongs to its first.
 * Answer words come from {@link LabelWords}, which leaves out every evaluation label word. Passages are split by
 * document: every 50th document is held out for the validation loss.
 */
public final class PromptabilityMixture {

    static final int[] GROUP_SIZES = {2, 3, 4, 5, 6, 8};
    static final int GROUP_SEEDS = 2;
    /** Tokens of the original passage a reconstruction example writes back. */
    static final int RECONSTRUCT_TARGET = 24;
    static final double RECONSTRUCT_NOISE = 0.15;
    static final int HELD_OUT_EVERY = 50;
    static final int MAX_FILLER = 18;
    /** Shortest text a keyword example cuts its passage to (tokens). */
    static final int MIN_KEYWORD_INPUT = 12;
    static final int FILLER_POOL = 5000;
    /** Draws before a task gives up on a subset that has no fitting passage (tiny corpora) and writes span corruption. */
    static final int TRIES = 100;

    private final T5Tokenizer tokenizer;
    private final LabelWords pool;
    /** The pool's words as a set, for the word-present task's membership tests (built once, not per example). */
    private final Set<String> poolWords;
    private final int maxInput;
    private final List<Passage> passages;
    private final List<Integer> train = new ArrayList<>();
    private final List<Integer> heldOut = new ArrayList<>();
    private final List<GroupTask> groups = new ArrayList<>();
    private final List<String> shuffledWords;
    private final List<String> sameDocumentWords;
    private final SpanCorruption spans;
    private final List<MixtureTask> tasks = new ArrayList<>();
    private final MixtureRecipe recipe;
    private final KeywordTask keywords;
    /** Null unless the recipe asks topics. */
    private final TopicTask topics;
    /** Null unless the recipe asks sources ({@link TopicTask#ofSources}). */
    private final TopicTask sources;

    /** A clustering task: its answer words and every passage's group. */
    private record GroupTask(String name, List<String> words, int[] group, List<List<Integer>> trainMembers,
                             List<List<Integer>> heldOutMembers) {}

    /**
     * @param passages the passages (already filtered by {@link MixtureHoldOut})
     * @param pool answer words
     * @param maxInput longest encoder input in tokens, eos included
     * @param recipe the tasks' shares
     * @param seed decides the clusterings and the tasks' answer words
     */
    public PromptabilityMixture(List<Passage> passages, LabelWords pool, T5Tokenizer tokenizer, int maxInput,
                                MixtureRecipe recipe, long seed) {
        this(passages, DocumentSources.NONE, pool, tokenizer, maxInput, recipe, seed);
    }

    /**
     * As above, for a recipe with the source task: {@code documentSources} names each passage's document's source.
     */
    public PromptabilityMixture(List<Passage> passages, DocumentSources documentSources, LabelWords pool,
                                T5Tokenizer tokenizer, int maxInput, MixtureRecipe recipe, long seed) {
        this.tokenizer = tokenizer;
        this.recipe = recipe;
        this.pool = pool;
        this.poolWords = Set.copyOf(pool.all());
        this.maxInput = maxInput;
        this.passages = List.copyOf(passages);
        this.spans = SpanCorruption.t5(tokenizer);
        for (int i = 0; i < passages.size(); i++) {
            (passages.get(i).document() % HELD_OUT_EVERY == 0 ? heldOut : train).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double groupWeight = recipe.groups() / (GROUP_SIZES.length * GROUP_SEEDS);
        PassageClusters vectors = groupWeight > 0 || recipe.topics > 0 ? PassageClusters.of(passages) : null;
        for (int k : groupWeight > 0 ? GROUP_SIZES : new int[0]) {
            for (int s = 0; s < GROUP_SEEDS; s++) {
                String name = "groups-" + k + (char) ('a' + s);
                int[] group = vectors.kMeans(k, random.nextLong());
                List<String> words = pool.draw(k, random);
                groups.add(new GroupTask(name, words, group, members(group, k, train), members(group, k, heldOut)));
                tasks.add(new MixtureTask(name, "which of " + k + " k-means groups (TF-IDF, spherical) the passage is in",
                        words, groupWeight));
            }
        }
        shuffledWords = pool.draw(2, random);
        sameDocumentWords = pool.draw(2, random);
        keywords = KeywordTask.of(passages);
        // Drawn after every other use of the construction stream, so the recipes without topics build as before.
        topics = recipe.topics > 0 ? TopicTask.of(passages, vectors, poolWords, keywords, TopicTask.CLUSTERS,
                random.nextLong()) : null;
        sources = recipe.sources > 0 ? TopicTask.ofSources(passages, documentSources, pool.excluded()) : null;
        List<MixtureTask> all = List.of(
                new MixtureTask("word-present", "which of 2-5 options (drawn per example) occurs in the passage",
                        List.of(), recipe.present),
                new MixtureTask("shuffled", "first word: the passage as written; second: its words shuffled",
                        shuffledWords, recipe.shuffled),
                new MixtureTask("same-document", "first word: the second half continues the first; second: it is "
                        + "another passage's second half", sameDocumentWords, recipe.sameDocument),
                new MixtureTask("reconstruct", "no options: the target is the passage's first " + RECONSTRUCT_TARGET
                        + " tokens, the input the passage with " + (int) (100 * RECONSTRUCT_NOISE) + " % of its tokens "
                        + "dropped (BART-style denoising: the decoder cannot write a token without reading the encoder)",
                        List.of(), recipe.reconstruct),
                new MixtureTask("keyword", "no options: the target is one content word of the passage (not one of the "
                        + KeywordTask.FUNCTION_WORDS + " commonest words), drawn by inverse document frequency",
                        List.of(), recipe.keywords),
                new MixtureTask("topic", "which of 2-5 options names the passage's topic: the names of "
                        + TopicTask.CLUSTERS + " k-means groups (TF-IDF), the answer not always in the passage",
                        List.of(), recipe.topics),
                new MixtureTask("source", "which of 2-5 options names the fortune file or Brown category the passage "
                        + "comes from (" + (sources == null ? 0 : sources.names().size()) + " sources that no evaluation "
                        + "task classifies), the answer not always in the passage", List.of(), recipe.sources),
                new MixtureTask("missing-word", "which of 2-5 options was taken out of the passage (the answer a "
                        + "content word of it, drawn by inverse document frequency; the others words it does not contain)",
                        List.of(), recipe.choice),
                new MixtureTask("span-corruption", "T5's span corruption of the passage (no options)", List.of(),
                        recipe.span));
        all.stream().filter(t -> t.weight() > 0).forEach(tasks::add);
    }

    private static List<List<Integer>> members(int[] group, int k, List<Integer> subset) {
        List<List<Integer>> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            out.add(new ArrayList<>());
        }
        for (int i : subset) {
            out.get(group[i]).add(i);
        }
        return out;
    }

    /** The tasks with their answer words and shares, for the model card. */
    public List<MixtureTask> tasks() {
        return Collections.unmodifiableList(tasks);
    }

    /** Every answer word the mixture can use (fixed task words and the per-example option pool). */
    public Set<String> answerWords() {
        Set<String> out = new HashSet<>(poolWords);
        tasks.forEach(t -> out.addAll(t.labels()));
        if (topics != null) {
            // Drawn from the pool today; listed on their own so the hold-out check covers them whatever their source.
            topics.names().forEach(out::addAll);
        }
        if (sources != null) {
            sources.names().forEach(out::addAll);
        }
        return out;
    }

    /** Each topic group's names, best first; empty when the recipe has no topic task (for tests). */
    List<List<String>> topicNames() {
        return topics == null ? List.of() : topics.names();
    }

    /** The source task's names, one per source; empty when the recipe has no source task (for tests). */
    List<String> sourceNames() {
        return sources == null ? List.of() : sources.names().stream().map(n -> n.get(0)).toList();
    }

    /** A source-task example from the training passages (for tests); null when none is found. */
    Example sourceExample(SplittableRandom random) {
        return topic(sources, train, random);
    }

    /** A missing-word choice example from the training passages (for tests); null as {@link #missingWord}. */
    Example missingWordExample(SplittableRandom random) {
        return missingWord(train, random);
    }

    /** Passages in the training part / the held-out part. */
    public int trainPassages() {
        return train.size();
    }

    public int heldOutPassages() {
        return heldOut.size();
    }

    /** The passages examples are drawn from (train and held-out). */
    public List<Passage> passages() {
        return passages;
    }

    /** The passages training examples are drawn from (every document but the held-out ones), in corpus order. */
    public List<Passage> trainingPassages() {
        return train.stream().map(passages::get).toList();
    }

    /** {@code n} examples drawn from the training or the held-out passages. */
    public List<Example> sample(int n, boolean fromHeldOut, SplittableRandom random) {
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next(fromHeldOut, random));
        }
        return out;
    }

    private Example next(boolean fromHeldOut, SplittableRandom random) {
        List<Integer> subset = fromHeldOut ? heldOut : train;
        double u = random.nextDouble();
        if ((u -= recipe.reconstruct) < 0) {
            return reconstruct(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.span) < 0) {
            return spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.keywords) < 0) {
            Example e = keyword(subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.topics) < 0) {
            Example e = topic(topics, subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.sources) < 0) {
            Example e = topic(sources, subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.choice) < 0) {
            Example e = missingWord(subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.present) < 0) {
            Example e = wordPresent(subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.shuffled) < 0) {
            return shuffled(passages.get(pick(subset, random)), random);
        }
        if ((u -= recipe.sameDocument) < 0) {
            Example e = sameDocument(subset, random);
            return e != null ? e : spanCorruption(passages.get(pick(subset, random)), random);
        }
        if (groups.isEmpty()) {
            return spanCorruption(passages.get(pick(subset, random)), random);
        }
        GroupTask task = groups.get(random.nextInt(groups.size()));
        List<List<Integer>> members = fromHeldOut ? task.heldOutMembers() : task.trainMembers();
        List<Integer> filled = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            if (!members.get(k).isEmpty()) {
                filled.add(k);
            }
        }
        if (filled.size() < 2) {
            // A tiny corpus's held-out part may miss whole groups: no classification task to pose.
            return spanCorruption(passages.get(pick(subset, random)), random);
        }
        int c = filled.get(random.nextInt(filled.size()));
        Passage p = passages.get(members.get(c).get(random.nextInt(members.get(c).size())));
        return classify(task.words(), p.text(), task.words().get(c), random);
    }

    private static int pick(List<Integer> subset, SplittableRandom random) {
        return subset.get(random.nextInt(subset.size()));
    }

    private Example spanCorruption(Passage p, SplittableRandom random) {
        long[] ids = tokenizer.encode(p.text(), false);
        if (ids.length > maxInput) {
            ids = Arrays.copyOf(ids, maxInput);
        }
        if (ids.length < 4) {
            ids = tokenizer.encode(p.text() + " " + p.text() + " " + p.text() + " " + p.text(), false);
        }
        return spans.corrupt(ids, random);
    }

    private Example reconstruct(Passage p, SplittableRandom random) {
        long[] ids = tokenizer.encode(p.text(), false);
        int n = Math.min(ids.length, maxInput - 1);
        long[] kept = new long[n + 1];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= RECONSTRUCT_NOISE) {
                kept[at++] = ids[i];
            }
        }
        kept[at++] = tokenizer.eosId();
        int t = Math.min(n, RECONSTRUCT_TARGET);
        long[] target = Arrays.copyOf(ids, t + 1);
        target[t] = tokenizer.eosId();
        return new Example(Arrays.copyOf(kept, at), target);
    }

    private Example wordPresent(List<Integer> subset, SplittableRandom random) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            // The words that survive the input's length cut: an answer must be readable in the input.
            String text = fitted(passages.get(pick(subset, random)).text());
            Set<String> inPassage = Passages.normalizedWords(text);
            List<String> present = new ArrayList<>();
            for (String w : inPassage) {
                if (poolWords.contains(w)) {
                    present.add(w);
                }
            }
            if (present.isEmpty()) {
                continue;
            }
            if (pool.all().size() < 6 + inPassage.size() / 4) {
                return null;
            }
            Collections.sort(present);
            String answer = present.get(random.nextInt(present.size()));
            int options = 2 + random.nextInt(4);
            List<String> words = new ArrayList<>();
            words.add(answer);
            while (words.size() < options) {
                String w = pool.any(random);
                if (!inPassage.contains(w) && !words.contains(w)) {
                    words.add(w);
                }
            }
            shuffle(words, random);
            return classify(words, text, answer, random);
        }
        return null;
    }

    /** Null when no drawn passage has a content word (tiny corpora). */
    private Example keyword(List<Integer> subset, SplittableRandom random) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            // The answer must be readable in the input, so it is drawn from the words that survive the length cut.
            // Inputs of every length up to the longest: reading is learned on short inputs first (measured: 300 steps
            // from random weights give an encoder-reading gap of 0.53 nats with 32-token inputs and 0.04 with 128).
            int room = MIN_KEYWORD_INPUT + random.nextInt(Math.max(1, maxInput - MIN_KEYWORD_INPUT - MAX_FILLER));
            String text = cut(passages.get(pick(subset, random)).text(), room);
            String answer = keywords.answer(text, random);
            if (answer != null) {
                boolean hide = recipe.hideAnswer > 0 && random.nextDouble() < recipe.hideAnswer;
                return classify(List.of(), hide ? without(text, answer) : text, answer, random);
            }
        }
        return null;
    }

    /** A question of {@code task} (topics or sources); null when no drawn passage has a named group (tiny corpora). */
    private Example topic(TopicTask task, List<Integer> subset, SplittableRandom random) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            int i = pick(subset, random);
            if (!task.asks(i)) {
                continue;
            }
            String text = fitted(passages.get(i).text());
            TopicTask.Question q = task.question(i, Passages.normalizedWords(text), random);
            if (q != null) {
                return classify(q.options(), q.hideAnswer() ? without(text, q.answer()) : text, q.answer(), random);
            }
        }
        return null;
    }

    /**
     * Options first, then the passage without one of its content words; the answer is that word. The answer and the
     * other options are answer-pool words (single tokens, no evaluation label word); the others are not in the text.
     * Null when no drawn passage has such a word (tiny corpora).
     */
    Example missingWord(List<Integer> subset, SplittableRandom random) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            String text = fitted(passages.get(pick(subset, random)).text());
            String answer = keywords.answer(text, poolWords, random);
            if (answer == null) {
                continue;
            }
            Set<String> inText = Passages.normalizedWords(text);
            int options = 2 + random.nextInt(4);
            List<String> words = new ArrayList<>();
            words.add(answer);
            for (int draw = 0; draw < 50 && words.size() < options; draw++) {
                String w = pool.any(random);
                if (!inText.contains(w) && !words.contains(w) && !keywords.isFunctionWord(w)) {
                    words.add(w);
                }
            }
            shuffle(words, random);
            return classify(words, without(text, answer), answer, random);
        }
        return null;
    }

    /** {@code text} cut to the tokens that fit after the most options (5) and filler an input can have. */
    private String fitted(String text) {
        return cut(text, maxInput - 1 - 5 - MAX_FILLER);
    }

    /** {@code text} without the words whose normalised form is {@code word}. */
    private static String without(String text, String word) {
        StringBuilder out = new StringBuilder(text.length());
        for (String w : text.split("\\s+")) {
            if (!Passages.normalize(w).equals(word)) {
                out.append(out.length() == 0 ? "" : " ").append(w);
            }
        }
        return out.toString();
    }

    /** {@code text} cut to its first {@code room} tokens. */
    private String cut(String text, int room) {
        long[] ids = tokenizer.encode(text, false);
        return ids.length <= room ? text : tokenizer.decode(Arrays.copyOf(ids, room), true);
    }

    private Example shuffled(Passage p, SplittableRandom random) {
        boolean shuffle = random.nextBoolean() && p.words().size() > 3;
        List<String> words = new ArrayList<>(p.words());
        if (shuffle) {
            shuffle(words, random);
        }
        return classify(shuffledWords, String.join(" ", words), shuffledWords.get(shuffle ? 1 : 0), random);
    }

    /** Null when the subset has no two long enough passages of different documents (tiny corpora). */
    private Example sameDocument(List<Integer> subset, SplittableRandom random) {
        Passage p = longEnough(subset, -1, random);
        if (p == null) {
            return null;
        }
        int half = p.words().size() / 2;
        List<String> first = p.words().subList(0, half);
        boolean same = random.nextBoolean();
        List<String> second = p.words().subList(half, p.words().size());
        if (!same) {
            Passage other = longEnough(subset, p.document(), random);
            if (other == null) {
                return null;
            }
            second = other.words().subList(other.words().size() / 2, other.words().size());
        }
        String text = String.join(" ", first) + " " + String.join(" ", second);
        return classify(sameDocumentWords, text, sameDocumentWords.get(same ? 0 : 1), random);
    }

    /** A passage of at least 10 words from another document than {@code notDocument}, or null after many tries. */
    private Passage longEnough(List<Integer> subset, int notDocument, SplittableRandom random) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Passage p = passages.get(pick(subset, random));
            if (p.words().size() >= 10 && p.document() != notDocument) {
                return p;
            }
        }
        return null;
    }

    /** Options, optional random filler tokens, the text, eos → the answer word and eos. */
    private Example classify(List<String> options, String text, String answer, SplittableRandom random) {
        long[] head = options.isEmpty() ? new long[0] : tokenizer.encode(String.join(" ", options), false);
        int filler = random.nextBoolean() ? 1 + random.nextInt(MAX_FILLER) : 0;
        long[] body = tokenizer.encode(text, false);
        int length = Math.min(maxInput, head.length + filler + body.length + 1);
        long[] input = new long[length];
        int at = 0;
        for (int i = 0; i < head.length && at < length - 1; i++) {
            input[at++] = head[i];
        }
        for (int i = 0; i < filler && at < length - 1; i++) {
            input[at++] = 3 + random.nextInt(FILLER_POOL - 3);
        }
        for (int i = 0; i < body.length && at < length - 1; i++) {
            input[at++] = body[i];
        }
        input[at] = tokenizer.eosId();
        long[] word = tokenizer.encode(answer, false);
        long[] target = Arrays.copyOf(word, word.length + 1);
        target[word.length] = tokenizer.eosId();
        return new Example(input, target);
    }

    /** Fisher-Yates from the last element down, one draw per position: the order every task's options get. */
    static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }
}
