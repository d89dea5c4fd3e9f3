package dev.prompttune.core.model;

/**
 * T5's relative-position buckets: a relative position (key position − query position) is mapped to one of
 * {@code numBuckets} learned biases. Small distances get a bucket each; larger ones share logarithmically wider
 * buckets up to {@code maxDistance}, beyond which all distances share the last bucket.
 *
 * <p>Bidirectional (encoder self-attention): half the buckets for keys to the right, half for the left.
 * Causal (decoder self-attention): only keys at or left of the query exist, so all buckets cover the past.
 *
 * <p>The arithmetic is float32, as in the reference (a float32 log, divided and scaled, truncated toward zero),
 * because bucket boundaries sit exactly where float and double rounding could disagree.
 */
public final class RelativePositionBuckets {

    private RelativePositionBuckets() {}

    /** Bucket of one relative position {@code memoryPosition - queryPosition}. */
    public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int bucket = 0;
        int n = numBuckets;
        int distance;
        if (bidirectional) {
            n /= 2;
            if (relativePosition > 0) {
                bucket += n;
            }
            distance = Math.abs(relativePosition);
        } else {
            distance = -Math.min(relativePosition, 0);
        }
        int maxExact = n / 2;
        if (distance < maxExact) {
            return bucket + distance;
        }
        float ratio = (float) distance / (float) maxExact;
        float logRatio = (float) Math.log(ratio);
        float logRange = (float) Math.log((double) maxDistance / maxExact);
        float scaled = logRatio / logRange * (float) (n - maxExact);
        int large = maxExact + (int) scaled;
        return bucket + Math.min(large, n - 1);
    }

    /**
     * The bucket table for a block of queries against keys: {@code out[q * keyLength + k]} is the bucket of
     * key {@code k} seen from query {@code queryOffset + q}.
     *
     * @return row-major [queryLength, keyLength] bucket ids
     */
    public static long[] table(int queryLength, int keyLength, int queryOffset, boolean bidirectional,
                               int numBuckets, int maxDistance) {
        long[] out = new long[queryLength * keyLength];
        for (int q = 0; q < queryLength; q++) {
            for (int k = 0; k < keyLength; k++) {
                out[q * keyLength + k] = bucket(k - (q + queryOffset), bidirectional, numBuckets, maxDistance);
            }
        }
        return out;
    }
}
