package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference: encoder + teacher-forced decoder + loss, no graph, no dropout. Plain ({@code forward},
 * {@code infer}) or with soft prompts prepended through {@link PromptLayout}: one prompt for every row
 * ({@code infer_prompt}), or row b using prompt b mod n of n different ones ({@code infer_mixed8}: the paper's
 * mixed-task batch).
 */
final class InferenceRun extends BenchModes.Run {
    private final List<NDArray> prompts = new ArrayList<>();
    private final int[] assignment;

    private InferenceRun(BenchModes.Setup s, int promptCount) {
        super(s);
        for (int i = 0; i < promptCount; i++) {
            prompts.add(BenchBatch.prompt(s.manager(), s.shape(), 100 + i));
        }
        assignment = new int[s.shape().batch()];
        for (int b = 0; b < assignment.length; b++) {
            assignment[b] = promptCount == 0 ? -1 : b % promptCount;
        }
    }

    static BenchModes.Run plain(BenchModes.Setup s) {
        return new InferenceRun(s, 0);
    }

    static BenchModes.Run prompted(BenchModes.Setup s, int prompts) {
        return new InferenceRun(s, prompts);
    }

    @Override
    void step(NDManager m) {
        BenchBatch b = setup.batch().copyTo(m);
        NDArray embeddings = model.embed(b.inputIds());
        NDArray mask = b.mask();
        if (!prompts.isEmpty()) {
            PromptLayout.Combined c = PromptLayout.combine(embeddings, mask, prompts, assignment, Placement.PREFIX);
            embeddings = c.embeddings();
            mask = c.mask();
        }
        NDArray encoded = model.encode(embeddings, mask, false);
        T5Model.loss(model.logits(model.decode(b.decoderInput(), encoded, mask, false)), b.labels()).getFloat();
    }

    @Override
    long trainable() {
        return 0;
    }

    @Override
    public void close() {
        prompts.forEach(NDArray::close);
        super.close();
    }
}
