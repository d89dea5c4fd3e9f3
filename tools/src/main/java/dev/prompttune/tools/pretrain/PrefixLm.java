package dev.prompttune.tools.pretrain;

import dev.prompttune.core.text.T5Tokenizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The prefix language-modelling objective of T5's LM adaptation (Lester et al. 2021, §3.2; Raffel et al. 2020,
 * §3.3.1 "prefix LM"): split a natural text at a random point; the encoder reads the prefix, the decoder writes the
 * continuation. After span corruption this teaches the model to emit natural text (no sentinels), which is what
 * prompt tuning of the "LM-adapted" T5 relies on.
 *
 * <pre>
 *   text   : The monkey was quite old and both its hind legs were paralysed
 *   split  : uniform in [1, L − 1] tokens (both sides non-empty)
 *   input  : The monkey was quite old and &lt;/s&gt;
 *   target : both its hind legs were paralysed &lt;/s&gt;
 * </pre>
 *
 * <p>Usage:
 * <pre>{@code
 * PrefixLm lm = PrefixLm.of(tokenizer);
 * Example ex = lm.split(tokenizer.encode(text, false), new SplittableRandom(7)); // ids without eos, length >= 2
 * }</pre>
 *
 * <p>With a maximum target length, the continuation is cut after that many tokens (then eos). Only the first
 * tokens of a continuation depend much on the encoder (later ones are predictable from the decoder's own prefix),
 * so short targets put more of the loss on reading the encoder: for a small, briefly trained model that is what
 * makes its decoder condition on the input at all (measured: see models/README.md), and it is what prompt tuning
 * needs (a label word is a one-token continuation).
 *
 * <p>Deterministic in the random state; immutable and thread-safe.
 */
public final class PrefixLm {

    private final long eosId;
    private final int maxTarget;

    public PrefixLm(long eosId) {
        this(eosId, 0);
    }

    /** @param maxTarget longest continuation kept (tokens before eos); 0 keeps all of it */
    public PrefixLm(long eosId, int maxTarget) {
        if (maxTarget < 0) {
            throw new IllegalArgumentException("max target length " + maxTarget + " is negative; allowed: 0 (all) or more");
        }
        this.eosId = eosId;
        this.maxTarget = maxTarget;
    }

    public static PrefixLm of(T5Tokenizer tokenizer) {
        return new PrefixLm(tokenizer.eosId());
    }

    public static PrefixLm of(T5Tokenizer tokenizer, int maxTarget) {
        return new PrefixLm(tokenizer.eosId(), maxTarget);
    }

    /** A split point uniform in {@code [1, length − 1]}: the prefix length. */
    public int splitPoint(int length, SplittableRandom random) {
        if (length < 2) {
            throw new IllegalArgumentException("prefix LM needs at least 2 tokens, got " + length);
        }
        return 1 + random.nextInt(length - 1);
    }

    /** Splits {@code tokens} (no eos, length ≥ 2) at a uniform random point. */
    public Example split(long[] tokens, SplittableRandom random) {
        return split(tokens, splitPoint(tokens.length, random));
    }

    /**
     * Splits {@code tokens} after {@code prefixLength} tokens: input = prefix + eos, target = continuation (at most
     * the maximum target length) + eos.
     *
     * @param prefixLength in {@code [1, tokens.length − 1]}
     */
    public Example split(long[] tokens, int prefixLength) {
        if (prefixLength < 1 || prefixLength >= tokens.length) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside [1, " + (tokens.length - 1) + "]");
        }
        long[] input = Arrays.copyOf(tokens, prefixLength + 1);
        input[prefixLength] = eosId;
        int kept = tokens.length - prefixLength;
        if (maxTarget > 0) {
            kept = Math.min(kept, maxTarget);
        }
        long[] target = new long[kept + 1];
        System.arraycopy(tokens, prefixLength, target, 0, kept);
        target[target.length - 1] = eosId;
        return new Example(input, target);
    }
}
