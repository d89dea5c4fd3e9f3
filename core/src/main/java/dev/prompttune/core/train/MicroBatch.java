package dev.prompttune.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.DropoutScope;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.Scalars;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.PromptLayout;

/**
 * One micro-batch's forward and backward pass: the unit of work of a training step, in this process
 * ({@link LocalGradients}) and in a cluster's tasks alike, so both compute the same numbers.
 *
 * <p>Its dropout masks come from {@link #maskSeed}(seed, step, micro-batch) alone, so a micro-batch gives the same
 * gradient whichever thread, executor or retry computes it.
 */
public final class MicroBatch {

    private MicroBatch() {}

    /**
     * Forward in training mode and, when the loss is finite, backward of {@code loss / count}: the gradient
     * accumulates onto the arrays {@code input} differentiates (the trainable ones). Thread-safe for distinct inputs
     * over one shared frozen model. Its arrays live in a sub-manager of {@code root}, closed on return.
     *
     * @param inputs [B][T_i] encoder ids of the micro-batch's rows
     * @param targets [B][L_i] target ids
     * @param classes the rows' classes for {@link TrainingLoss#CLASSES}; null for the sequence loss
     * @param count micro-batches in the step (the loss is their mean)
     * @param dropout the rate for this micro-batch
     * @param maskSeed {@link #maskSeed}
     * @return the micro-batch's mean loss (not divided by {@code count})
     */
    public static double backward(T5Model model, EncoderInput input, long[][] inputs, long[][] targets, Classes classes,
                                  int count, float dropout, long maskSeed, NDManager root) {
        try (NDManager m = root.newSubManager();
             DropoutScope masks = DropoutScope.open(dropout, maskSeed);
             GradMode.Scope grad = GradMode.on()) {
            RankClassifier.Padded encoder = RankClassifier.Padded.of(inputs, 0, m);
            PromptLayout.Combined combined = input.build(model, encoder.ids(), encoder.mask());
            NDArray encoded = model.encode(combined.embeddings(), combined.mask(), true);
            NDArray loss;
            if (classes == null) {
                NDArray labels = RankClassifier.Padded.of(targets, T5Model.IGNORE_INDEX, m).ids();
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded, combined.mask(), true));
                loss = T5Model.loss(logits, labels);
            } else {
                loss = ClassesLoss.of(model, encoded, combined.mask(), classes.targets(), classes.truth(), true, m);
            }
            double value = loss.getFloat();
            if (Double.isFinite(value)) {
                GradMode.backward(Scalars.div(loss, count));
            }
            return value;
        }
    }

    /**
     * What {@link TrainingLoss#CLASSES} needs of a micro-batch.
     *
     * @param targets [C][L_c] each class's target ids (eos included), the task's
     * @param truth [B] each row's class index
     */
    public record Classes(long[][] targets, int[] truth) {

        /**
         * The rows {@code batch} of {@code split}'s classes under {@code loss}: null for the sequence loss.
         *
         * @throws PromptTuneException when the classes loss is asked of a split without classes
         */
        public static Classes of(TrainingLoss loss, TokenizedTask split, int[] batch) {
            if (loss == TrainingLoss.SEQUENCE) {
                return null;
            }
            requireClasses(loss, split);
            return of(split.classTargets(), split.classes(), batch);
        }

        /**
         * The rows {@code batch} of a split given as arrays (a cluster task's).
         *
         * @param classes [N] every example's class index
         */
        public static Classes of(long[][] targets, int[] classes, int[] batch) {
            int[] truth = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                truth[i] = classes[batch[i]];
            }
            return new Classes(targets, truth);
        }

        /** Fails with one line when {@code loss} needs classes that {@code split} does not have. */
        public static void requireClasses(TrainingLoss loss, TokenizedTask split) {
            if (loss == TrainingLoss.CLASSES && !split.isClassification()) {
                throw new PromptTuneException("loss 'classes' needs a classification task (labels with target texts); "
                        + "split '" + split.name() + "' has none; allowed here: loss 'sequence'");
            }
        }
    }

    /** The rows {@code batch} of a split: [0] encoder ids, [1] target ids. */
    public static long[][][] rows(TokenizedTask split, int[] batch) {
        long[][] inputs = new long[batch.length][];
        long[][] targets = new long[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            inputs[i] = split.inputs()[batch[i]];
            targets[i] = split.targets()[batch[i]];
        }
        return new long[][][] {inputs, targets};
    }

    /**
     * The seed of micro-batch {@code micro} (0-based within the step) of step {@code step} (0-based) of a run
     * seeded {@code seed}: SplitMix64 steps chained over the three, so nearby triples get unrelated seeds.
     */
    public static long maskSeed(long seed, int step, int micro) {
        return mix(mix(mix(seed) + step) + micro);
    }

    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
