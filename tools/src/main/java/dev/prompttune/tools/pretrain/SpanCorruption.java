package dev.prompttune.tools.pretrain;

import dev.prompttune.core.text.T5Tokenizer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;

/**
 * T5's span-corruption objective (Raffel et al. 2020, §3.3.4 and §3.7;
 * {@code t5.data.preprocessors.span_corruption}): drop random spans of the input, replace each dropped span by one
 * sentinel, and train the model to output the dropped spans, each after its sentinel.
 *
 * <p>The noise mask is {@code random_spans_noise_mask} exactly: for a sequence of length {@code L},
 * <pre>
 *   num_noise    = round(L · noiseDensity), clipped to [1, L − 1]
 *   num_spans    = max(1, round(num_noise / meanNoiseSpanLength))
 *   noise span lengths     = random_segmentation(num_noise, num_spans)
 *   non-noise span lengths = random_segmentation(L − num_noise, num_spans)
 *   spans interleave non-noise, noise, non-noise, noise, … (starting with non-noise, ending with noise)
 * </pre>
 * where {@code random_segmentation(n, k)} splits {@code n} items into {@code k} non-empty segments with every such
 * split equally likely (k − 1 distinct cut points among the n − 1 gaps). {@code round} is round-half-to-even, as
 * TensorFlow's {@code tf.round} and NumPy's {@code np.round}. With T5's settings (density 0.15, mean span 3) a
 * 128-token text has 19 noise tokens in 6 spans.
 *
 * <p>Input and target ({@code noise_span_to_unique_sentinel} / {@code nonnoise_span_to_unique_sentinel}, then eos):
 * <pre>
 *   text    : Thank you for inviting me to your party last week .
 *   noise   :           ^^^^^^^^^^^^                  ^^^^
 *   input   : Thank you &lt;extra_id_0&gt; me to your party &lt;extra_id_1&gt; week . &lt;/s&gt;
 *   target  : &lt;extra_id_0&gt; for inviting &lt;extra_id_1&gt; last &lt;/s&gt;
 * </pre>
 * Sentinel {@code i} marks noise span {@code i} in both; sentinels are used in T5 order, {@code <extra_id_0>} (the
 * last id of the vocabulary) first. <b>Target convention</b>: the target is {@code sentinel_i span_i} for every
 * span, then eos, with no trailing sentinel. That is what T5's {@code span_corruption} preprocessor and Hugging
 * Face's {@code DataCollatorForT5MLM} ({@code run_t5_mlm_flax.py}) produce: the target replaces each
 * <em>non-noise</em> span by its sentinel, and because the mask always ends with a noise span no sentinel follows
 * the last span. (The paper's Figure 2 shows a final {@code <Z>} only because its hand-made example ends with
 * non-noise text, which {@code random_spans_noise_mask} never produces.)
 *
 * <p>Usage:
 * <pre>{@code
 * SpanCorruption sc = SpanCorruption.t5(tokenizer);              // density 0.15, mean span 3
 * long[] text = tokenizer.encode("Thank you for inviting me to your party last week.", false); // no eos
 * Example ex = sc.corrupt(text, new SplittableRandom(1));
 * ex.input();   // text with spans replaced by <extra_id_0>, <extra_id_1>, ... then </s>
 * ex.target();  // <extra_id_0> span0 <extra_id_1> span1 ... </s>
 * int inLen = sc.inputLength(128), outLen = sc.targetLength(128); // 116 and 26: T5's random_spans_helper sizes
 * }</pre>
 *
 * <p>Deterministic: the same tokens and the same random state give the same example. Immutable and thread-safe
 * (each call draws from the {@link SplittableRandom} it is given).
 */
public final class SpanCorruption {

    /** T5's noise density. */
    public static final double T5_NOISE_DENSITY = 0.15;
    /** T5's mean noise span length. */
    public static final double T5_MEAN_NOISE_SPAN_LENGTH = 3.0;

    private final double noiseDensity;
    private final double meanNoiseSpanLength;
    private final IntToLongFunction sentinel;
    private final int sentinelCount;
    private final long eosId;

    /**
     * @param noiseDensity fraction of tokens dropped, in (0, 1)
     * @param meanNoiseSpanLength mean length of a dropped span, ≥ 1
     * @param sentinel id of sentinel {@code n} ({@code <extra_id_n>}) for {@code n} in {@code [0, sentinelCount)}
     * @param sentinelCount how many sentinels there are; a text needing more spans is rejected
     * @param eosId the id appended to input and target
     */
    public SpanCorruption(double noiseDensity, double meanNoiseSpanLength, IntToLongFunction sentinel, int sentinelCount,
                          long eosId) {
        if (!(noiseDensity > 0 && noiseDensity < 1)) {
            throw new IllegalArgumentException("noiseDensity must be in (0, 1), got " + noiseDensity);
        }
        if (!(meanNoiseSpanLength >= 1)) {
            throw new IllegalArgumentException("meanNoiseSpanLength must be >= 1, got " + meanNoiseSpanLength);
        }
        if (sentinelCount < 1) {
            throw new IllegalArgumentException("at least one sentinel is needed, got " + sentinelCount);
        }
        this.noiseDensity = noiseDensity;
        this.meanNoiseSpanLength = meanNoiseSpanLength;
        this.sentinel = sentinel;
        this.sentinelCount = sentinelCount;
        this.eosId = eosId;
    }

    /** T5's settings (density 0.15, mean span 3) with the tokenizer's sentinels and eos. */
    public static SpanCorruption t5(T5Tokenizer tokenizer) {
        return new SpanCorruption(T5_NOISE_DENSITY, T5_MEAN_NOISE_SPAN_LENGTH, tokenizer::sentinelId,
                tokenizer.sentinelCount(), tokenizer.eosId());
    }

    public double noiseDensity() {
        return noiseDensity;
    }

    public double meanNoiseSpanLength() {
        return meanNoiseSpanLength;
    }

    /** Noise tokens in a text of {@code length} tokens: round(length · density) clipped to [1, length − 1]. */
    public int noiseTokens(int length) {
        requireLength(length);
        int n = (int) Math.rint(length * noiseDensity);
        return Math.min(Math.max(n, 1), length - 1);
    }

    /** Noise spans (= non-noise spans) in a text of {@code length} tokens: max(1, round(noise / mean span)). */
    public int noiseSpans(int length) {
        return Math.max(1, (int) Math.rint(noiseTokens(length) / meanNoiseSpanLength));
    }

    /** Length of the corrupted input (eos included) for a text of {@code length} tokens; it does not depend on the draw. */
    public int inputLength(int length) {
        return length - noiseTokens(length) + noiseSpans(length) + 1;
    }

    /** Length of the target (eos included) for a text of {@code length} tokens; it does not depend on the draw. */
    public int targetLength(int length) {
        return noiseTokens(length) + noiseSpans(length) + 1;
    }

    /**
     * T5's {@code random_spans_noise_mask}: true marks a noise token.
     *
     * @param length ≥ 2
     */
    public boolean[] noiseMask(int length, SplittableRandom random) {
        int noise = noiseTokens(length);
        int spans = noiseSpans(length);
        int[] noiseLengths = randomSegmentation(noise, spans, random);
        int[] nonNoiseLengths = randomSegmentation(length - noise, spans, random);
        boolean[] mask = new boolean[length];
        int at = 0;
        for (int s = 0; s < spans; s++) {
            at += nonNoiseLengths[s];
            Arrays.fill(mask, at, at + noiseLengths[s], true);
            at += noiseLengths[s];
        }
        return mask;
    }

    /**
     * T5's {@code random_segmentation}: {@code items} split into {@code segments} non-empty runs, every split equally
     * likely (the {@code segments − 1} cut points are a uniform random subset of the {@code items − 1} gaps).
     *
     * @return the run lengths, in order; they sum to {@code items}
     */
    public static int[] randomSegmentation(int items, int segments, SplittableRandom random) {
        if (segments < 1 || segments > items) {
            throw new IllegalArgumentException("cannot split " + items + " items into " + segments + " non-empty segments");
        }
        // Partial Fisher–Yates over the gaps 1..items-1: the first segments-1 positions are a uniform subset.
        int gaps = items - 1;
        int[] pool = new int[gaps];
        for (int i = 0; i < gaps; i++) {
            pool[i] = i + 1;
        }
        int cuts = segments - 1;
        for (int i = 0; i < cuts; i++) {
            int j = i + random.nextInt(gaps - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] cut = Arrays.copyOf(pool, cuts);
        Arrays.sort(cut);
        int[] lengths = new int[segments];
        int previous = 0;
        for (int i = 0; i < cuts; i++) {
            lengths[i] = cut[i] - previous;
            previous = cut[i];
        }
        lengths[segments - 1] = items - previous;
        return lengths;
    }

    /**
     * Corrupts a text.
     *
     * @param tokens the text's ids without eos, length ≥ 2
     * @return input (non-noise tokens, each noise span replaced by its sentinel, eos) and target (each sentinel and
     *         its span, eos)
     */
    public Example corrupt(long[] tokens, SplittableRandom random) {
        return apply(tokens, noiseMask(tokens.length, random));
    }

    /** Applies a given noise mask (true = noise) to {@code tokens}; the spans of the mask get sentinels 0, 1, … */
    public Example apply(long[] tokens, boolean[] mask) {
        if (mask.length != tokens.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " positions for " + tokens.length + " tokens");
        }
        long[] input = new long[tokens.length + 1];
        long[] target = new long[tokens.length + 1];
        int in = 0;
        int out = 0;
        int span = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (mask[i]) {
                if (i == 0 || !mask[i - 1]) {
                    if (span >= sentinelCount) {
                        throw new IllegalArgumentException("the text needs more than " + sentinelCount
                                + " sentinels; corrupt shorter texts");
                    }
                    long s = sentinel.applyAsLong(span++);
                    input[in++] = s;
                    target[out++] = s;
                }
                target[out++] = tokens[i];
            } else {
                input[in++] = tokens[i];
            }
        }
        input[in++] = eosId;
        target[out++] = eosId;
        return new Example(Arrays.copyOf(input, in), Arrays.copyOf(target, out));
    }

    private static void requireLength(int length) {
        if (length < 2) {
            throw new IllegalArgumentException("span corruption needs at least 2 tokens, got " + length);
        }
    }
}
