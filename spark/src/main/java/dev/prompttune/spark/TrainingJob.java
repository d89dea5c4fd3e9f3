package dev.prompttune.spark;

import dev.prompttune.core.run.ClusterTraining;
import java.io.Serializable;

/**
 * What every task of one training run needs, broadcast once per run: where to load the frozen model, the prompt's
 * shape, the tokenized training split and the micro-batch settings. The prompt's values travel per step.
 */
record TrainingJob(String model, String precision, String device, String fingerprint, int length, int width,
                   int reparamBottleneck, String placement, long[][] inputs, long[][] targets, long seed, float dropout)
        implements Serializable {

    static TrainingJob of(ClusterTraining run) {
        return new TrainingJob(run.model().toAbsolutePath().normalize().toString(), run.precision(), run.device(),
                run.fingerprint(), run.length(), run.width(), run.reparamBottleneck(), run.placement().key(),
                run.train().inputs(), run.train().targets(), run.seed(), run.dropout());
    }
}
