package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What greedy decoding keeps between steps: per decoder block, the self-attention keys/values of every token
 * decoded so far, and the cross-attention keys/values of the encoder output (computed once).
 *
 * <p>Self keys/values [B, heads, t, d_kv] grow by one position per step; cross keys/values [B, heads, S, d_kv].
 */
final class DecoderCache {

    final NDArray[] selfKeys;
    final NDArray[] selfValues;
    final NDArray[] crossKeys;
    final NDArray[] crossValues;
    /** Cross-attention bias [B, 1, 1, S]: the encoder padding mask. */
    final NDArray crossBias;
    /** Tokens decoded so far (the position of the next query). */
    int length;

    DecoderCache(int layers, NDArray crossBias) {
        selfKeys = new NDArray[layers];
        selfValues = new NDArray[layers];
        crossKeys = new NDArray[layers];
        crossValues = new NDArray[layers];
        this.crossBias = crossBias;
    }
}
