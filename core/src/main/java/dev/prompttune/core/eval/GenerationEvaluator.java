package dev.prompttune.core.eval;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluation by generation: greedy decoding of every input (prompted or not), decoded to text and compared with
 * the reference text after trimming (exact match). For classification, a generated text that equals no label's
 * target counts as wrong (class −1). Batches group inputs of similar length ({@link LengthBatches}).
 */
public final class GenerationEvaluator {

    private GenerationEvaluator() {}

    /** Greedy outputs, as text, one per input. */
    public static List<String> generate(T5Model model, EncoderInput input, long[][] inputs, T5Tokenizer tokenizer,
                                        int maxNewTokens, int batchSize, NDManager parent) {
        String[] out = new String[inputs.length];
        try (GradMode.Scope noGrad = GradMode.off()) { // see RankClassifier.score
            for (int[] batch : LengthBatches.of(inputs, batchSize)) {
                try (NDManager m = parent.newSubManager()) {
                    long[][] slice = new long[batch.length][];
                    for (int r = 0; r < batch.length; r++) {
                        slice[r] = inputs[batch[r]];
                    }
                    RankClassifier.Padded enc = RankClassifier.Padded.of(slice, 0, m);
                    PromptLayout.Combined combined = input.build(model, enc.ids(), enc.mask());
                    long[][] generated = model.generate(combined.embeddings(), combined.mask(), maxNewTokens);
                    for (int r = 0; r < batch.length; r++) {
                        long[] ids = generated[r];
                        out[batch[r]] = tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length)).trim();
                    }
                }
            }
        }
        return new ArrayList<>(Arrays.asList(out));
    }

    /** Fraction of outputs equal to their references (both trimmed). */
    public static double exactMatch(List<String> generated, List<String> references) {
        if (generated.isEmpty()) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i = 0; i < generated.size(); i++) {
            hits += generated.get(i).trim().equals(references.get(i).trim()) ? 1 : 0;
        }
        return (double) hits / generated.size();
    }

    /** Class of each generated text (the label whose target it equals), or −1. */
    public static int[] classes(List<String> generated, List<String> classTargets) {
        int[] out = new int[generated.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = classTargets.indexOf(generated.get(i).trim());
        }
        return out;
    }
}
