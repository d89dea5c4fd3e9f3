package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sampled vocabulary: each position copies the embedding of a token drawn from the {@code topK} most common ids.
 * T5's SentencePiece ids are ordered by frequency, so those are ids 0 … topK−1. Drawn without replacement; with
 * replacement only when the prompt is longer than topK.
 */
public record VocabInit(int topK) implements PromptInit {

    /** The paper's 5,000 most common tokens. */
    public static final int PAPER_TOP_K = 5000;

    public VocabInit {
        if (topK < 1) {
            throw new PromptTuneException("vocab init topK is " + topK + "; allowed: topK >= 1");
        }
    }

    @Override
    public float[] values(InitContext ctx) {
        return ctx.rows(ids(ctx.length(), ctx.vocabSize(), ctx.seed()));
    }

    /** The sampled ids (deterministic in seed). */
    public long[] ids(int count, int vocabSize, long seed) {
        int pool = Math.min(topK, vocabSize);
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[count];
        if (count > pool) {
            for (int i = 0; i < count; i++) {
                out[i] = random.nextInt(pool);
            }
            return out;
        }
        // Partial Fisher–Yates: the first `count` entries of a shuffled 0..pool-1.
        int[] candidates = new int[pool];
        for (int i = 0; i < pool; i++) {
            candidates[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool - i);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
            out[i] = candidates[i];
        }
        return out;
    }

    @Override
    public String kind() {
        return "vocab";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("top_k", topK);
        return d;
    }
}
