package dev.prompttune.spark;

import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.run.ClusterBackend;
import dev.prompttune.core.run.ClusterScoring;
import dev.prompttune.core.run.ClusterTraining;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.train.StepGradients;
import java.util.List;

/** prompttune's cluster backend on Apache Spark 4 (registered in META-INF/services for core's ServiceLoader). */
public final class SparkBackend implements ClusterBackend {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void check(ClusterSpec cluster) {
        JavaOptions.check(cluster.master());
    }

    @Override
    public StepGradients training(ClusterTraining run) {
        return new SparkGradients(SparkContexts.get(run.cluster()), run);
    }

    @Override
    public float[][] scoreMixed(ClusterScoring scoring, List<PromptBank.Row> rows, List<int[]> batches) {
        return SparkScoring.score(SparkContexts.get(scoring.cluster()), scoring, rows, batches);
    }
}
