package dev.prompttune.spark;

import dev.prompttune.core.run.ClusterTraining;
import dev.prompttune.core.train.MicroBatch;
import dev.prompttune.core.train.TrainingLoss;
import java.io.Serializable;

/**
 * What every task of one training run needs, broadcast once per run: where to load the frozen model, the prompt's
 * shape, the tokenized training split and the micro-batch settings. The prompt's values travel per step.
 *
 * @param classTargets [C][L_c] the task's class targets when the run trains with {@code loss 'classes'}, else null
 * @param classes [N] each training example's class under {@code loss 'classes'}, else null
 */
record TrainingJob(String model, String precision, String device, String fingerprint, int length, int width,
                   int reparamBottleneck, String placement, long[][] inputs, long[][] targets, long seed, float dropout,
                   long[][] classTargets, int[] classes)
        implements Serializable {

    static TrainingJob of(ClusterTraining run) {
        MicroBatch.Classes.requireClasses(run.loss(), run.train());
        boolean byClass = run.loss() == TrainingLoss.CLASSES;
        return new TrainingJob(run.model().toAbsolutePath().normalize().toString(), run.precision(), run.device(),
                run.fingerprint(), run.length(), run.width(), run.reparamBottleneck(), run.placement().key(),
                run.train().inputs(), run.train().targets(), run.seed(), run.dropout(),
                byClass ? run.train().classTargets() : null, byClass ? run.train().classes() : null);
    }

    /** The rows' classes for {@link MicroBatch#backward}: null under the sequence loss. */
    MicroBatch.Classes classesOf(int[] rows) {
        return classes == null ? null : MicroBatch.Classes.of(classTargets, classes, rows);
    }
}
