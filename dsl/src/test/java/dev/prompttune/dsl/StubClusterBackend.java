package dev.prompttune.dsl;

import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.run.ClusterBackend;
import dev.prompttune.core.run.ClusterScoring;
import dev.prompttune.core.run.ClusterTraining;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.train.StepGradients;
import java.util.List;

/**
 * A cluster backend for the DSL's own tests (META-INF/services in the test resources): the dsl never depends on the
 * spark module, so its keyword tests see this stand-in, which accepts every setting and runs nothing. The spark
 * module's tests run the DSL on the real backend.
 */
public final class StubClusterBackend implements ClusterBackend {

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public void check(ClusterSpec cluster) {}

    @Override
    public StepGradients training(ClusterTraining run) {
        throw new UnsupportedOperationException("the DSL tests' stub backend runs nothing");
    }

    @Override
    public float[][] scoreMixed(ClusterScoring scoring, List<PromptBank.Row> rows, List<int[]> batches) {
        throw new UnsupportedOperationException("the DSL tests' stub backend runs nothing");
    }
}
