package dev.prompttune.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code loss 'classes'} against an independent derivation: the class scores from rank classification's scoring
 * path (no autograd, float64 sums), the softmax over classes and the mean taken by hand in Java; its gradient
 * against central differences of that same independent loss. Class targets of unequal length (2, 3 and 4 ids) check
 * that each class's score sums its own tokens only.
 */
class ClassesLossTest {

    private static final int P = 4;
    private static final long[][] CLASS_TARGETS = {{50, 51, 1}, {60, 1}, {70, 71, 72, 1}};
    private static NDManager root;
    private static T5Model model;

    @BeforeAll
    static void load() {
        root = NDManager.newBaseManager();
        model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root);
    }

    @AfterAll
    static void close() {
        model.close();
        root.close();
    }

    /** Six rows of random ids (different lengths, eos last) and their classes. */
    private static TokenizedTask task() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 6;
        long[][] inputs = new long[n][];
        long[][] targets = new long[n][];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            long[] ids = new long[3 + i % 4];
            for (int t = 0; t < ids.length - 1; t++) {
                ids[t] = 5 + random.nextInt(90);
            }
            ids[ids.length - 1] = 1;
            inputs[i] = ids;
            classes[i] = i % 3;
            targets[i] = CLASS_TARGETS[classes[i]];
        }
        return new TokenizedTask("rows", inputs, targets, classes, CLASS_TARGETS);
    }

    private static float[] promptValues(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[P * model.config().dModel];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** The independent loss: mean over rows of −log softmax_c(score)[truth], the scores from RankClassifier. */
    private static double independentLoss(float[] prompt, TokenizedTask t) {
        try (NDManager m = root.newSubManager(); SoftPrompt p = SoftPrompt.of(prompt, P, model.config().dModel, m)) {
            float[][] scores = RankClassifier.score(model, EncoderInput.prompted(p, Placement.PREFIX), t.inputs(),
                    t.classTargets(), 4, m);
            double sum = 0;
            for (int i = 0; i < scores.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float s : scores[i]) {
                    max = Math.max(max, s);
                }
                double z = 0;
                for (float s : scores[i]) {
                    z += Math.exp(s - max);
                }
                sum += -(scores[i][t.classes()[i]] - max - Math.log(z));
            }
            return sum / scores.length;
        }
    }

    private static int[] all(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    @Test
    void lossAndGradientMatchAnIndependentDerivation() {
        TokenizedTask t = task();
        float[] values = promptValues(11);
        int[] rows = all(t.size());
        try (NDManager m = root.newSubManager(); SoftPrompt prompt = SoftPrompt.of(values, P, model.config().dModel, m)) {
            Trainable trainable = Trainable.prompt(prompt, Placement.PREFIX);
            trainable.parameters().forEach(p -> p.setRequiresGradient(true));
            long[][][] batch = MicroBatch.rows(t, rows);
            double loss = MicroBatch.backward(model, trainable.input(), batch[0], batch[1],
                    MicroBatch.Classes.of(TrainingLoss.CLASSES, t, rows), 1, 0f, 1L, m);
            double expected = independentLoss(values, t);
            assertEquals(expected, loss, 1e-5 * Math.max(1, Math.abs(expected)), "classes loss");
            // Not the sequence loss under another name: that one is per target token over the whole vocabulary.
            double sequence;
            try (NDManager s = root.newSubManager(); SoftPrompt copy = SoftPrompt.of(values, P, model.config().dModel, s)) {
                Trainable other = Trainable.prompt(copy, Placement.PREFIX);
                other.parameters().forEach(p -> p.setRequiresGradient(true));
                sequence = MicroBatch.backward(model, other.input(), batch[0], batch[1], null, 1, 0f, 1L, s);
            }
            assertTrue(Math.abs(sequence - loss) > 0.1, "sequence " + sequence + " vs classes " + loss);

            float[] gradient = trainable.parameters().get(0).getGradient().toFloatArray();
            // Directional derivative along a random unit direction, against central differences of the independent loss.
            SplittableRandom random = new SplittableRandom(5);
            float[] direction = new float[values.length];
            double norm = 0;
            for (int i = 0; i < direction.length; i++) {
                direction[i] = (float) random.nextGaussian();
                norm += direction[i] * direction[i];
            }
            double analytic = 0;
            for (int i = 0; i < direction.length; i++) {
                direction[i] /= (float) Math.sqrt(norm);
                analytic += gradient[i] * direction[i];
            }
            double h = 1e-2;
            float[] plus = values.clone();
            float[] minus = values.clone();
            for (int i = 0; i < values.length; i++) {
                plus[i] += (float) (h * direction[i]);
                minus[i] -= (float) (h * direction[i]);
            }
            double numeric = (independentLoss(plus, t) - independentLoss(minus, t)) / (2 * h);
            assertTrue(Math.abs(numeric) > 1e-3, "the direction must move the loss: " + numeric);
            assertEquals(numeric, analytic, 0.02 * Math.abs(numeric), "directional derivative");
        }
    }

    @Test
    void theSequenceLossNeedsNoClassesAndTheClassesLossRefusesASplitWithout() {
        TokenizedTask t = task();
        assertNull(MicroBatch.Classes.of(TrainingLoss.SEQUENCE, t, all(2)));
        TokenizedTask generation = new TokenizedTask("pairs", t.inputs(), t.targets(), null, null);
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> MicroBatch.Classes.of(TrainingLoss.CLASSES, generation, all(2)));
        assertTrue(e.getMessage().contains("loss 'classes' needs a classification task")
                && e.getMessage().contains("'pairs'") && e.getMessage().contains("loss 'sequence'"), e.getMessage());
    }

    @Test
    void anUnknownLossNamesTheAllowedOnes() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> TrainingLoss.of("label"));
        assertEquals("loss 'label' is not known; allowed: sequence, classes", e.getMessage());
    }
}
