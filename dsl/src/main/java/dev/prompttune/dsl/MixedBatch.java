package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.MixedScoring;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code predictMixed(runs, inputs)}: rows of different tasks in one forward pass over one frozen model
 * ({@link MixedScoring}); here the inputs become examples of each run's task and the scores become predictions.
 * Runs that all name the same {@code cluster} are scored there (same scores, bit for bit).
 */
final class MixedBatch {

    private MixedBatch() {
    }

    /** Refuses lists of runs and inputs that do not pair up (a script's checks call it when both are written out). */
    static void requireOneRunPerInput(int runs, int inputs) {
        if (runs != inputs || runs == 0) {
            throw new PromptTuneException("predictMixed: " + runs + " runs for " + inputs
                    + " inputs; allowed: one run per input, at least one");
        }
    }

    static List<Prediction> predict(Session session, List<PromptTuneRun> runs, List<?> inputs) {
        requireOneRunPerInput(runs.size(), inputs.size());
        Map<PromptTuneRun, ExperimentContext> contexts = new IdentityHashMap<>();
        for (PromptTuneRun run : runs) {
            contexts.computeIfAbsent(run, r -> ExperimentContext.toPredict(session, r.spec()));
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            examples.add(PredictInputs.examples(contexts.get(runs.get(i)), List.of(inputs.get(i)), "predictMixed", i + 1).get(0));
        }
        ClusterSpec cluster = runs.get(0).spec().cluster();
        for (PromptTuneRun run : runs) {
            cluster = java.util.Objects.equals(cluster, run.spec().cluster()) ? cluster : null;
        }
        float[][] scores = MixedScoring.score(session, runs, contexts, examples, cluster);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ExperimentContext ctx = contexts.get(runs.get(i));
            List<String> labels = ctx.data().verbalizer().labels();
            int best = 0;
            Map<String, Double> s = new LinkedHashMap<>();
            for (int c = 0; c < scores[i].length; c++) {
                s.put(labels.get(c), (double) scores[i][c]);
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            out.add(new Prediction(ctx.data().template().render(examples.get(i)), labels.get(best),
                    ctx.targetTexts().get(best), s));
        }
        return out;
    }
}
