package dev.prompttune.core.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.prompt.SoftPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multi-task serving (paper §2): one frozen model, many named prompts of any lengths, and batches that mix tasks.
 * Each row names its prompt; the encoder runs once over the whole batch (rows with different prompts and different
 * prompt lengths, one {@link PromptLayout#combine} gather), and the decoder scores or generates every row in one
 * pass too. Results equal running each task's rows alone.
 *
 * <p>The bank holds references, not copies: the prompts' owners keep them open while the bank is used.
 */
public final class PromptBank {

    /** A classification row: its prompt's name, encoder input ids (eos included), its task's class targets. */
    public record Row(String prompt, long[] input, long[][] classTargets) {}

    /** A generation row: its prompt's name and encoder input ids (eos included). */
    public record Input(String prompt, long[] input) {}

    private final T5Model model;
    private final Placement placement;
    private final Map<String, NDArray> prompts = new LinkedHashMap<>();

    public PromptBank(T5Model model, Placement placement) {
        if (model == null || placement == null) {
            throw new PromptTuneException("prompt bank: the " + (model == null ? "model" : "placement") + " is null; "
                    + "allowed: a loaded model and a placement (" + java.util.Arrays.stream(Placement.values())
                    .map(Placement::key).collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        this.model = model;
        this.placement = placement;
    }

    /** Adds or replaces a prompt. */
    public PromptBank put(String name, SoftPrompt prompt) {
        if (prompt == null) {
            throw new PromptTuneException("prompt bank: prompt '" + name + "' is null; allowed: a prompt [p, H]");
        }
        return put(name, prompt.value());
    }

    /** Adds or replaces a prompt given as [p, H] (float32 or the model's dtype). */
    public PromptBank put(String name, NDArray prompt) {
        if (name == null || prompt == null) {
            throw new PromptTuneException("prompt bank: " + (name == null ? "a prompt's name" : "prompt '" + name + "'")
                    + " is null; allowed: a name and a prompt [p, H]");
        }
        Shape s = prompt.getShape();
        if (s.dimension() != 2 || s.get(0) < 1 || s.get(1) != model.config().dModel) {
            throw new PromptTuneException("prompt bank: prompt '" + name + "' has shape " + s + "; allowed: [p >= 1, "
                    + model.config().dModel + "] (the model's width)");
        }
        ServingInputs.requireFinite(name, prompt);
        prompts.put(name, prompt);
        return this;
    }

    public Set<String> names() {
        return prompts.keySet();
    }

    /**
     * Rank-classification log-likelihoods of each row's own classes, all rows in one encoder pass and one
     * decoder pass over every (row, class) pair, each row's encoding projected for cross-attention once
     * ({@link RankClassifier#decodeEveryClass(T5Model, NDArray, NDArray, long[][][], boolean, NDManager)}).
     *
     * @return [row][class of that row's task]
     */
    public float[][] score(List<Row> rows) {
        if (rows == null) {
            throw new PromptTuneException("prompt bank: the rows are null; allowed: a list of rows (none for none)");
        }
        if (rows.isEmpty()) {
            return new float[0][];
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r) == null) {
                throw new PromptTuneException("prompt bank: row " + r + " is null; allowed: a Row(prompt, input, classTargets)");
            }
            ServingInputs.requireClasses(rows.get(r).classTargets(), model.config().vocabSize, "prompt bank", "row " + r);
        }
        // Autograd off (see RankClassifier.score): scoring never runs backward.
        try (GradMode.Scope noGrad = GradMode.off(); NDManager m = model.manager().newSubManager()) {
            List<Input> inputs = rows.stream().map(r -> new Input(r.prompt(), r.input())).toList();
            PromptLayout.Combined combined = combine(inputs, m);
            NDArray hidden = model.encode(combined.embeddings(), combined.mask(), false); // [B, L, H]
            long[][][] classTargets = rows.stream().map(Row::classTargets).toArray(long[][][]::new);
            RankClassifier.EveryClass decoded = RankClassifier.decodeEveryClass(model, hidden, combined.mask(),
                    classTargets, false, m);
            double[] flat = RankClassifier.sequenceLogLikelihoods(decoded.logits(), decoded.labels());
            float[][] out = new float[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                out[r] = new float[classTargets[r].length];
                for (int c = 0; c < out[r].length; c++) {
                    out[r][c] = (float) flat[r * decoded.group() + c]; // pairs past C_r are padding
                }
            }
            return out;
        }
    }

    /**
     * Greedy generation for a batch mixing prompts, in one pass.
     *
     * @return per row: the decoder start token, the generated ids, up to and including eos (no trailing padding)
     */
    public long[][] generate(List<Input> rows, int maxNewTokens) {
        ServingInputs.requireNewTokens(maxNewTokens);
        if (rows == null) {
            throw new PromptTuneException("prompt bank: the rows are null; allowed: a list of inputs (none for none)");
        }
        if (rows.isEmpty()) {
            return new long[0][];
        }
        try (GradMode.Scope noGrad = GradMode.off(); NDManager m = model.manager().newSubManager()) {
            PromptLayout.Combined combined = combine(rows, m);
            long[][] generated = model.generate(combined.embeddings(), combined.mask(), maxNewTokens);
            long eos = model.config().eosTokenId;
            for (int r = 0; r < generated.length; r++) {
                for (int t = 1; t < generated[r].length; t++) {
                    if (generated[r][t] == eos) {
                        generated[r] = java.util.Arrays.copyOf(generated[r], t + 1);
                        break;
                    }
                }
            }
            return generated;
        }
    }

    /** Encoder input of rows mixing prompts: [B, L, H] and mask [B, L]. */
    private PromptLayout.Combined combine(List<Input> rows, NDManager m) {
        List<String> used = new ArrayList<>();
        int[] assignment = new int[rows.size()];
        List<long[]> ids = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r) == null) {
                throw new PromptTuneException("prompt bank: row " + r + " is null; allowed: an Input(prompt, input)");
            }
            ServingInputs.requireIds(rows.get(r).input(), model.config().vocabSize, "prompt bank", "row " + r + "'s input");
            String name = rows.get(r).prompt();
            if (!prompts.containsKey(name)) {
                throw new PromptTuneException("prompt bank: row " + r + " names prompt '" + name + "'; the bank has "
                        + prompts.keySet());
            }
            int i = used.indexOf(name);
            if (i < 0) {
                used.add(name);
                i = used.size() - 1;
            }
            assignment[r] = i;
            ids.add(rows.get(r).input());
        }
        NDArray idArray = padded(ids, model.config().padTokenId, m).toDevice(model.device(), false);
        NDArray mask = padded(ids, -1, m).neq(-1).toType(DataType.INT64, false).toDevice(model.device(), false);
        List<NDArray> list = used.stream().map(prompts::get).toList();
        return PromptLayout.combine(model.embed(idArray), mask, list, assignment, placement);
    }

    /** Right-padded rows [N, T] int64 (on m's device). */
    private static NDArray padded(List<long[]> rows, long pad, NDManager m) {
        int length = 1;
        for (long[] r : rows) {
            length = Math.max(length, r.length);
        }
        long[] flat = new long[rows.size() * length];
        java.util.Arrays.fill(flat, pad);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * length, rows.get(i).length);
        }
        return m.create(flat, new Shape(rows.size(), length));
    }
}
