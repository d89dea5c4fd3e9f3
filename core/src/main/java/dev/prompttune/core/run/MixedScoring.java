package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.eval.LengthBatches;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of different tasks in one forward pass over one frozen model: row i is {@code examples.get(i)} under
 * {@code runs.get(i)}'s prompt, tokenized with its run's template and scored against its run's labels, through a
 * {@link PromptBank}; rows of runs with {@code calibrate true} lose their prompt's content-free prior. The paper's
 * case for prompt tuning as a serving format: one model, many tasks, one batch.
 *
 * <p>Rows are batched by input length ({@link LengthBatches}, at most the first run's {@code evalBatch} rows), each
 * batch mixing tasks; on a cluster ({@link #score(Session, List, Map, List, ClusterSpec)}) the same batches are
 * scored on the executors, so the scores are the same, bit for bit.
 */
public final class MixedScoring {

    private MixedScoring() {}

    /**
     * Class scores [row][class of the row's task].
     *
     * @param contexts each run's context (one per distinct run; all on one model and one placement)
     */
    public static float[][] score(Session session, List<PromptTuneRun> runs, Map<PromptTuneRun, ExperimentContext> contexts,
                                  List<Example> examples) {
        return score(session, runs, contexts, examples, null);
    }

    /**
     * {@link #score(Session, List, Map, List)} with the rows' batches scored on {@code cluster} (null: in this
     * process); content-free rows of calibrating runs are scored here.
     */
    public static float[][] score(Session session, List<PromptTuneRun> runs, Map<PromptTuneRun, ExperimentContext> contexts,
                                  List<Example> examples, ClusterSpec cluster) {
        ClusterBackend backend = cluster == null ? null : ClusterBackends.require(cluster);
        T5Model model = contexts.get(runs.get(0)).model();
        for (PromptTuneRun run : runs) {
            if (contexts.get(run).model() != model) {
                throw new PromptTuneException("predictMixed: run " + run.name() + " uses model " + run.spec().model() + " but "
                        + runs.get(0).name() + " uses " + runs.get(0).spec().model() + "; a mixed batch runs on one frozen model");
            }
            if (run.spec().placement() != runs.get(0).spec().placement()) {
                throw new PromptTuneException("predictMixed: runs " + run.name() + " and " + runs.get(0).name()
                        + " place their prompts differently; a mixed batch needs one placement");
            }
        }
        PromptBank bank = new PromptBank(model, runs.get(0).spec().placement());
        Map<PromptTuneRun, String> keys = new IdentityHashMap<>();
        List<SoftPrompt> prompts = new ArrayList<>();
        try {
            List<PromptBank.Row> rows = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                PromptTuneRun run = runs.get(i);
                ExperimentContext ctx = contexts.get(run);
                String key = keys.computeIfAbsent(run, r -> {
                    SoftPrompt p = SoftPrompt.of(r.prompt(), r.length(), r.width(), session.manager());
                    prompts.add(p);
                    String k = "p" + keys.size();
                    bank.put(k, p);
                    return k;
                });
                rows.add(new PromptBank.Row(key, ctx.tokenize(List.of(examples.get(i))).inputs()[0], ctx.classTargets()));
            }
            ExperimentContext first = contexts.get(runs.get(0));
            List<int[]> batches = LengthBatches.of(rows.stream().map(PromptBank.Row::input).toArray(long[][]::new),
                    first.spec().evalBatch());
            float[][] scores;
            if (backend == null) {
                scores = new float[rows.size()][];
                for (int[] batch : batches) {
                    float[][] batchScores = bank.score(Arrays.stream(batch).mapToObj(rows::get).toList());
                    for (int i = 0; i < batch.length; i++) {
                        scores[batch[i]] = batchScores[i];
                    }
                }
            } else {
                Map<String, float[]> values = new LinkedHashMap<>();
                keys.forEach((run, key) -> values.put(key, run.prompt()));
                PromptTuneSpec spec = first.spec();
                scores = backend.scoreMixed(new ClusterScoring(cluster, "predictMixed", first.prepared().modelDir(),
                        spec.precision(), spec.device(), EmbeddingFingerprint.of(model.embeddingTable()), spec.placement(),
                        values, model.config().dModel), rows, batches);
            }
            return calibrate(bank, scores, runs, contexts, keys);
        } finally {
            prompts.forEach(SoftPrompt::close);
        }
    }

    /**
     * The content-free rows of all calibrating runs are scored in one extra pass of their own, so the examples' raw
     * scores stay those of the uncalibrated batch; each calibrating row then loses its own prompt's prior.
     */
    private static float[][] calibrate(PromptBank bank, float[][] scores, List<PromptTuneRun> runs,
                                       Map<PromptTuneRun, ExperimentContext> contexts, Map<PromptTuneRun, String> keys) {
        List<PromptBank.Row> contentFree = new ArrayList<>();
        Map<PromptTuneRun, int[]> span = new IdentityHashMap<>(); // run → [first content-free row, count]
        for (PromptTuneRun run : runs) {
            if (run.spec().calibrate() && !span.containsKey(run)) {
                ExperimentContext ctx = contexts.get(run);
                long[][] inputs = ctx.contentFree();
                span.put(run, new int[] {contentFree.size(), inputs.length});
                for (long[] input : inputs) {
                    contentFree.add(new PromptBank.Row(keys.get(run), input, ctx.classTargets()));
                }
            }
        }
        if (contentFree.isEmpty()) {
            return scores;
        }
        float[][] cfScores = bank.score(contentFree);
        float[][] out = scores.clone();
        for (int i = 0; i < runs.size(); i++) {
            int[] at = span.get(runs.get(i));
            if (at != null) {
                double[] prior = Calibration.prior(Arrays.copyOfRange(cfScores, at[0], at[0] + at[1]));
                out[i] = Calibration.apply(new float[][] {scores[i]}, prior)[0];
            }
        }
        return out;
    }
}
