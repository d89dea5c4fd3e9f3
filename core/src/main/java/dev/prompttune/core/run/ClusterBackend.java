package dev.prompttune.core.run;

import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.train.StepGradients;
import java.util.List;

/**
 * A way to run prompttune's work on a cluster (the {@code spark} module's Apache Spark backend), found on the class
 * path through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.prompttune.core.run.ClusterBackend}):
 * core never depends on it. The experiment logic stays in core; a backend only distributes its units of work —
 * micro-batch gradients ({@link dev.prompttune.core.train.MicroBatch}) and scoring batches ({@link PromptBank}).
 */
public interface ClusterBackend {

    /** The backend's name, for messages ({@code spark}). */
    String name();

    /**
     * Checks that {@code cluster} can run here, before any weights load and without starting the cluster (e.g. the
     * JVM flags the engine needs); throws a {@link dev.prompttune.core.PromptTuneException} naming what is missing.
     */
    void check(ClusterSpec cluster);

    /** The gradient source of one training run (started now; the trainer closes it when the run ends). */
    StepGradients training(ClusterTraining run);

    /**
     * Rank-classification scores of mixed-task rows on the cluster: each batch (rows of {@code rows}, by index) is
     * scored by a {@link PromptBank} over the frozen model, on an executor that loaded the model once.
     *
     * @param batches row indices per batch, as a single process would batch them
     * @return [row][class of the row's task], in row order
     */
    float[][] scoreMixed(ClusterScoring scoring, List<PromptBank.Row> rows, List<int[]> batches);
}
