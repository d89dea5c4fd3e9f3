package dev.prompttune.core.prompt;

import ai.djl.ndarray.NDArray;
import dev.prompttune.core.model.T5Model;
import java.util.List;

/**
 * How a batch of token ids becomes the encoder's input: plain embeddings (the prompt-design baseline), with one
 * soft prompt, or with a prompt per row (mixed-task batches, ensembles).
 */
@FunctionalInterface
public interface EncoderInput {

    /**
     * @param ids [B, T] int64
     * @param mask [B, T]
     * @return embeddings [B, L, H] and mask [B, L]
     */
    PromptLayout.Combined build(T5Model model, NDArray ids, NDArray mask);

    /** No prompt: the frozen model with the hard template only. */
    static EncoderInput plain() {
        return (model, ids, mask) -> new PromptLayout.Combined(model.embed(ids), mask);
    }

    /** One soft prompt for every row. */
    static EncoderInput prompted(SoftPrompt prompt, Placement placement) {
        return (model, ids, mask) -> PromptLayout.combine(model.embed(ids), mask, prompt.value(), placement);
    }

    /** Row b gets {@code prompts.get(assignment[b])} (−1: none). */
    static EncoderInput perRow(List<NDArray> prompts, int[] assignment, Placement placement) {
        return (model, ids, mask) -> PromptLayout.combine(model.embed(ids), mask, prompts, assignment, placement);
    }
}
