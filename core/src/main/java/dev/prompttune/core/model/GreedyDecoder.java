package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Greedy decoding as Hugging Face's {@code generate} does it for T5: start from the decoder start token, take the
 * arg-max token each step, and once a row has produced eos it only emits pad. Stops when every row has finished
 * or after {@code maxNewTokens}. The encoder runs once; the decoder reuses cached keys/values.
 */
final class GreedyDecoder {

    private GreedyDecoder() {}

    static long[][] generate(T5Model model, NDArray embeddings, NDArray attentionMask, int maxNewTokens) {
        T5Config config = model.config();
        int rows = (int) embeddings.getShape().get(0);
        long[][] out = new long[rows][maxNewTokens + 1];
        boolean[] finished = new boolean[rows];
        int produced = 0;
        // Autograd off: a prompt that requires grad would otherwise keep every step's intermediates (see GradMode).
        try (GradMode.Scope noGrad = GradMode.off(); NDManager scope = embeddings.getManager().newSubManager()) {
            // Work on copies owned by this scope, so every intermediate (cache included) is freed with it.
            NDArray emb = embeddings.duplicate();
            emb.attach(scope);
            NDArray mask = attentionMask.duplicate();
            mask.attach(scope);
            NDArray encoderHidden = model.encode(emb, mask, false);
            DecoderCache cache = model.newDecoderCache(encoderHidden, mask);
            long[] current = new long[rows];
            java.util.Arrays.fill(current, config.decoderStartTokenId);
            for (int r = 0; r < rows; r++) {
                out[r][0] = config.decoderStartTokenId;
            }
            for (int step = 0; step < maxNewTokens; step++) {
                NDArray ids = scope.create(current, new Shape(rows, 1)).toDevice(embeddings.getDevice(), false);
                NDArray hidden = model.decodeStep(ids, cache);
                long[] next = model.logits(hidden).argMax(-1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                boolean allDone = true;
                for (int r = 0; r < rows; r++) {
                    long token = finished[r] ? config.padTokenId : next[r];
                    out[r][step + 1] = token;
                    current[r] = token;
                    if (token == config.eosTokenId) {
                        finished[r] = true;
                    }
                    allDone &= finished[r];
                }
                produced = step + 1;
                if (allDone) {
                    break;
                }
            }
        }
        if (produced < maxNewTokens) {
            for (int r = 0; r < rows; r++) {
                out[r] = java.util.Arrays.copyOf(out[r], produced + 1);
            }
        }
        return out;
    }
}
