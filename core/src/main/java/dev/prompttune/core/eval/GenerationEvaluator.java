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
 * target counts as wrong (class −1).
 */
public final class GenerationEvaluator {

    private GenerationEvaluator() {}

    /** Greedy outputs, as text, one per input. */
    public static List<String> generate(T5Model model, EncoderInput input, long[][] inputs, T5Tokenizer tokenizer,
                                        int maxNewTokens, int batchSize, NDManager parent) {
        // No gradients when scoring or generating (see GradMode: grad mode is on in new threads).
        try (GradMode.Scope noGrad = GradMode.off()) {
            return generateWithoutGrad(model, input, inputs, tokenizer, maxNewTokens, batchSize, parent);
        }
    }

    private static List<String> generateWithoutGrad(T5Model model, EncoderInput input, long[][] inputs, T5Tokenizer tokenizer,
                                        int maxNewTokens, int batchSize, NDManager parent) {
        List<String> out = new ArrayList<>(inputs.length);
        for (int start = 0; start < inputs.length; start += batchSize) {
            int rows = Math.min(batchSize, inputs.length - start);
            try (NDManager m = parent.newSubManager()) {
                long[][] slice = Arrays.copyOfRange(inputs, start, start + rows);
                RankClassifier.Padded enc = RankClassifier.Padded.of(slice, 0, m);
                PromptLayout.Combined combined = input.build(model, enc.ids(), enc.mask());
                for (long[] ids : model.generate(combined.embeddings(), combined.mask(), maxNewTokens)) {
                    out.add(tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length)).trim());
                }
            }
        }
        return out;
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
