package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.TokenizedTask;
import java.util.Arrays;

/** The held-out loss every pretraining phase, probe and check reports. */
final class HeldOutLoss {

    private HeldOutLoss() {}

    /**
     * Token-weighted mean cross-entropy of the model on a split (no dropout, no gradient), in batches of
     * {@code batch} examples padded as training pads them.
     */
    static double of(T5Model model, TokenizedTask split, int batch, NDManager root) {
        double sum = 0;
        long count = 0;
        for (int s = 0; s < split.size(); s += batch) {
            int end = Math.min(split.size(), s + batch);
            try (NDManager m = root.newSubManager()) {
                RankClassifier.Padded input = RankClassifier.Padded.of(Arrays.copyOfRange(split.inputs(), s, end), 0, m);
                long[][] targets = Arrays.copyOfRange(split.targets(), s, end);
                NDArray labels = RankClassifier.Padded.of(targets, T5Model.IGNORE_INDEX, m).ids();
                NDArray hidden = model.encode(model.embed(input.ids()), input.mask(), false);
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), hidden, input.mask(), false));
                double loss = T5Model.loss(logits, labels).getFloat();
                long tokens = 0;
                for (long[] t : targets) {
                    tokens += t.length;
                }
                sum += loss * tokens;
                count += tokens;
            }
        }
        return sum / Math.max(1, count);
    }
}
