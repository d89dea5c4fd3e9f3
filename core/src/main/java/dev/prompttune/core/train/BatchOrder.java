package dev.prompttune.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batches, epoch after epoch, from a seed: each epoch shuffles the examples, sorts chunks of 50 batches
 * by input length (so a batch's rows have similar lengths and little padding) and shuffles the batch order.
 * Same seed ⇒ same batches.
 */
final class BatchOrder {

    private static final int CHUNK_BATCHES = 50;

    private final long[][] inputs;
    private final int batchSize;
    private final long seed;
    private List<int[]> current = List.of();
    private int position;
    private int epoch = -1;

    BatchOrder(long[][] inputs, int batchSize, long seed) {
        this.inputs = inputs;
        this.batchSize = Math.min(batchSize, inputs.length);
        this.seed = seed;
    }

    int[] next() {
        if (position >= current.size()) {
            epoch++;
            current = epoch(epoch);
            position = 0;
        }
        return current.get(position++);
    }

    /**
     * Moves on as if {@link #next()} had been called {@code batches} times (a resumed run continues the batch order
     * where the checkpoint left it), without drawing the skipped epochs.
     */
    void skip(long batches) {
        int perEpoch = inputs.length / batchSize;
        if (batches <= 0) {
            return;
        }
        epoch = (int) ((batches - 1) / perEpoch);
        current = epoch(epoch);
        position = (int) (batches - (long) epoch * perEpoch);
    }

    int epoch() {
        return Math.max(epoch, 0);
    }

    List<int[]> epoch(int e) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + e);
        Integer[] order = new Integer[inputs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int chunk = batchSize * CHUNK_BATCHES;
        for (int s = 0; s < order.length; s += chunk) {
            Arrays.sort(order, s, Math.min(order.length, s + chunk), (a, b) -> Integer.compare(inputs[a].length, inputs[b].length));
        }
        List<int[]> batches = new ArrayList<>();
        // Drop the last partial batch: every step sees batchSize examples (the epoch's leftovers come next epoch).
        for (int s = 0; s + batchSize <= order.length; s += batchSize) {
            int[] b = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                b[i] = order[s + i];
            }
            batches.add(b);
        }
        for (int i = batches.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int[] t = batches.get(i);
            batches.set(i, batches.get(j));
            batches.set(j, t);
        }
        return batches;
    }
}
