package dev.prompttune.core.data;

import java.util.Random;

/** Deterministic shuffles: the same seed gives the same order on every JVM ({@link Random} is specified). */
final class Seeds {

    private Seeds() {}

    /** A generator for ({@code seed}, {@code stream}), decorrelated by a SplitMix64 finaliser. */
    static Random random(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0 .. n-1}. */
    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
