package dev.prompttune.core.train;

import java.util.SplittableRandom;

/**
 * A classification task whose label is recoverable from the input: each input is a few random filler tokens
 * with one marker token placed at a random position; the marker says the class. Targets are single tokens + eos.
 */
final class SyntheticTask {

    static final long[] MARKERS = {10, 20, 30};
    static final long[][] CLASS_TARGETS = {{50, 1}, {60, 1}, {70, 1}};

    private SyntheticTask() {}

    static TokenizedTask make(String name, int n, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[][] inputs = new long[n][];
        long[][] targets = new long[n][];
        int[] labels = new int[n];
        long[][] classTargets = new long[classes][];
        System.arraycopy(CLASS_TARGETS, 0, classTargets, 0, classes);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes);
            int length = 4 + random.nextInt(5);
            long[] ids = new long[length + 1];
            int markerAt = random.nextInt(length);
            for (int t = 0; t < length; t++) {
                ids[t] = t == markerAt ? MARKERS[label] : 80 + random.nextInt(19);
            }
            ids[length] = 1;
            inputs[i] = ids;
            targets[i] = CLASS_TARGETS[label];
            labels[i] = label;
        }
        return new TokenizedTask(name, inputs, targets, labels, classTargets);
    }
}
