package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of different tasks in one forward pass over one frozen model ({@code predictMixed(runs, inputs)}): each row
 * is tokenized with its own run's template, scored against its own task's labels, under its own prompt, through a
 * {@link PromptBank}, calibrated for runs with {@code calibrate true}. This is the paper's case for prompt tuning as a serving format: one model, many tasks, one batch.
 */
final class MixedBatch {

    private MixedBatch() {
    }

    static List<Prediction> predict(Session session, List<PromptTuneRun> runs, List<?> inputs) {
        if (runs.size() != inputs.size() || runs.isEmpty()) {
            throw new PromptTuneException("predictMixed: " + runs.size() + " runs for " + inputs.size()
                    + " inputs; allowed: one run per input, at least one");
        }
        Map<PromptTuneRun, ExperimentContext> contexts = new IdentityHashMap<>();
        for (PromptTuneRun run : runs) {
            contexts.computeIfAbsent(run, r -> ExperimentContext.of(session, r.spec()));
        }
        T5Model model = contexts.get(runs.get(0)).model();
        for (PromptTuneRun run : runs) {
            ExperimentContext ctx = contexts.get(run);
            if (ctx.model() != model) {
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
            List<Example> examples = new ArrayList<>();
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
                Example ex = PredictInputs.examples(ctx, List.of(inputs.get(i)), "predictMixed").get(0);
                examples.add(ex);
                rows.add(new PromptBank.Row(key, ctx.tokenize(List.of(ex)).inputs()[0], ctx.classTargets()));
            }
            float[][] scores = calibrate(bank, bank.score(rows), runs, contexts, keys);
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
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
        } finally {
            prompts.forEach(SoftPrompt::close);
        }
    }

    /**
     * Rows of runs with {@code calibrate true} get their scores minus the content-free prior of their own prompt and
     * template ({@link Calibration}); the content-free rows of all such runs are scored in one extra pass of their
     * own, so the examples' raw scores stay those of the uncalibrated batch.
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
                double[] prior = Calibration.prior(java.util.Arrays.copyOfRange(cfScores, at[0], at[0] + at[1]));
                out[i] = Calibration.apply(new float[][] {scores[i]}, prior)[0];
            }
        }
        return out;
    }
}
