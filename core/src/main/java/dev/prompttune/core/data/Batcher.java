package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Cuts a split into batches of example indices.
 *
 * <p>{@linkplain #bucketed Bucketed} (training): each epoch, shuffle the indices with the seed and the epoch, cut
 * them into chunks of {@code chunkBatches × batchSize}, sort each chunk by length (stable), cut it into batches and
 * shuffle the batch order. Batches hold examples of similar length, so padding is small, and their order is still
 * random. {@linkplain #sequential Sequential} (evaluation): batches in the original order.
 *
 * <p>The same seed, epoch and lengths give the same batches on every run. With {@code dropLast}, a final batch
 * smaller than {@code batchSize} is left out. Immutable.
 */
public final class Batcher {

    /** Batches per sorting chunk in bucketed mode. */
    public static final int DEFAULT_CHUNK_BATCHES = 50;

    private final int batchSize;
    private final boolean bucketed;
    private final long seed;
    private final int chunkBatches;
    private final boolean dropLast;

    private Batcher(int batchSize, boolean bucketed, long seed, int chunkBatches, boolean dropLast) {
        if (batchSize < 1) {
            throw new PromptTuneException("batch size must be at least 1, got " + batchSize);
        }
        if (chunkBatches < 1) {
            throw new PromptTuneException("batches per bucketing chunk must be at least 1, got " + chunkBatches);
        }
        this.batchSize = batchSize;
        this.bucketed = bucketed;
        this.seed = seed;
        this.chunkBatches = chunkBatches;
        this.dropLast = dropLast;
    }

    /** Length-bucketed, shuffled batches (training); the last batch may be smaller. */
    public static Batcher bucketed(int batchSize, long seed) {
        return new Batcher(batchSize, true, seed, DEFAULT_CHUNK_BATCHES, false);
    }

    /** Batches in the original order (evaluation); the last batch may be smaller. */
    public static Batcher sequential(int batchSize) {
        return new Batcher(batchSize, false, 0, DEFAULT_CHUNK_BATCHES, false);
    }

    /** This batcher, leaving out a final batch smaller than the batch size when {@code dropLast}. */
    public Batcher dropLast(boolean dropLast) {
        return new Batcher(batchSize, bucketed, seed, chunkBatches, dropLast);
    }

    /** This batcher, sorting chunks of {@code chunkBatches} batches by length. */
    public Batcher chunkBatches(int chunkBatches) {
        return new Batcher(batchSize, bucketed, seed, chunkBatches, dropLast);
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean isBucketed() {
        return bucketed;
    }

    public long seed() {
        return seed;
    }

    /** The batches of {@code data} for {@code epoch}, by input length. */
    public List<int[]> batches(TokenizedSplit data, int epoch) {
        return batches(data.inputLengths(), epoch);
    }

    /**
     * The batches of examples whose lengths are {@code lengths} for {@code epoch} (ignored when sequential).
     *
     * @return example indices per batch
     */
    public List<int[]> batches(int[] lengths, int epoch) {
        int n = lengths.length;
        int[] order = Seeds.range(n);
        List<int[]> out = new ArrayList<>();
        if (!bucketed) {
            cut(order, 0, n, out);
            return out;
        }
        Random random = Seeds.random(seed, epoch);
        Seeds.shuffle(order, random);
        int chunk = Math.multiplyExact(chunkBatches, batchSize);
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            Integer[] part = new Integer[end - start];
            for (int i = start; i < end; i++) {
                part[i - start] = order[i];
            }
            Arrays.sort(part, Comparator.comparingInt(i -> lengths[i]));
            for (int i = start; i < end; i++) {
                order[i] = part[i - start];
            }
            cut(order, start, end, out);
        }
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int[] t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    /** Cuts {@code order[from, to)} into batches; a short last one is dropped if asked. */
    private void cut(int[] order, int from, int to, List<int[]> out) {
        for (int s = from; s < to; s += batchSize) {
            int e = Math.min(to, s + batchSize);
            if (e - s < batchSize && dropLast) {
                return;
            }
            out.add(Arrays.copyOfRange(order, s, e));
        }
    }

    /** The number of batches for {@code n} examples. */
    public int batchCount(int n) {
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public String toString() {
        return (bucketed ? "bucketed(seed " + seed + ", chunk " + chunkBatches + " batches)" : "sequential")
                + " batches of " + batchSize + (dropLast ? ", drop last" : "");
    }
}
