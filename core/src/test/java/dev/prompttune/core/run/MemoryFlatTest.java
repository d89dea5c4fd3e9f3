package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.prompttune.core.eval.GenerationEvaluator;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A long run's memory stays flat": no step, evaluation, test scoring or baseline leaves an array behind in a
 * long-lived manager (session, model, prompt, optimizer), and scoring records no autograd graph even where
 * autograd is on. Counts are exact: every array a step or a batch makes must be freed with its scope.
 */
class MemoryFlatTest {

    @TempDir
    static Path tmp;
    static Path model;
    static Session session;

    @BeforeAll
    static void world() throws IOException {
        model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        TinyWorld.splits(tmp, 100, 30, 30);
        session = new Session();
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static PromptTuneSpec spec(String evaluation, List<String> baselines) {
        return PromptTuneSpec.builder().model(model.toString()).train(tmp.resolve("train.jsonl"))
                .dev(tmp.resolve("dev.jsonl")).test(tmp.resolve("test.jsonl")).template("classify: {text}")
                .labels(Map.of("a", "good", "b", "never")).length(5).init("random").steps(50).batch(8).evalEvery(10)
                .evalBatch(8).maxTargetLength(4).evaluation(evaluation).baselines(baselines.toArray(String[]::new))
                .save(tmp.resolve("runs")).build();
    }

    int live() {
        return session.manager().getManagedArrays().size();
    }

    @Test
    void liveArraysStayFlatOverStepsEvaluationsAndRuns() {
        new PromptTuning(session).execute(spec("rank", List.of()), List.of()); // loads and caches the model
        int before = live();
        // rank scoring with every baseline (model tuning trains a copy of the model), then generation
        for (PromptTuneSpec spec : List.of(spec("rank", List.of("design", "majority", "modelTuning")),
                spec("generate", List.of("design")))) {
            // Samples per training run: the prompt run, and the model-tuning baseline's run, which reports its
            // progress to the same listeners (each is flat on its own; the copy of the model is live only in its own).
            Map<String, List<String>> runs = new LinkedHashMap<>();
            List<List<String>> current = new ArrayList<>();
            TrainingListener count = new TrainingListener() {
                @Override
                public void onStart(StartEvent e) {
                    current.add(0, runs.computeIfAbsent(e.name(), n -> new ArrayList<>()));
                }

                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 10 || e.step() == 50) {
                        current.get(0).add("step " + e.step() + ": " + live());
                    }
                }

                @Override
                public void onEval(EvalEvent e) {
                    current.get(0).add("eval " + e.step() + ": " + live());
                }
            };
            new PromptTuning(session).execute(spec, List.of(count));
            String what = spec.evaluation() + ": ";
            List<String> expectedRuns = spec.baselines().contains("modelTuning")
                    ? List.of(spec.name(), spec.name() + "-model-tuning") : List.of(spec.name());
            assertEquals(expectedRuns, List.copyOf(runs.keySet()), what + runs);
            for (List<String> counts : runs.values()) {
                // During a run its trainable state (prompt or model copy) and optimizer state are live: the same
                // number at every point.
                assertEquals(7, counts.size(), what + counts);
                String first = counts.get(0).replaceAll(".*: ", "");
                for (String c : counts) {
                    assertEquals(first, c.replaceAll(".*: ", ""), what + "live arrays grew: " + counts);
                }
            }
            assertEquals(before, live(), what + "arrays left after a run (test scoring and baselines included)");
        }
    }

    @Test
    void scoringRunsWithAutogradOffOnAThreadWhereItIsOn() {
        T5Model m = session.model(model, "fp32", "cpu");
        var tokenizer = session.tokenizer(model);
        long[][] inputs = {{5, 6, 7, 1}, {8, 9, 1}, {10, 11, 12, 13, 14, 1}};
        long[][] targets = {{20, 1}, {21, 1}};
        boolean previous = JniUtils.isGradMode();
        try (NDManager root = session.manager().newSubManager();
             SoftPrompt prompt = SoftPrompt.of(new float[5 * 32], 5, 32, root)) {
            prompt.value().setRequiresGradient(true); // as after training
            JniUtils.setGradMode(true); // as on a fresh thread (a notebook cell)
            // Autograd mode while the batch's input is built, i.e. while the batch runs: on, a graph through the
            // prompt would keep every intermediate of the batch (measured on t5-mini + spam dev, 64 rows: peak
            // 3.0 GiB above the model instead of 1.3; torch's requires_grad flag is not visible through DJL here).
            List<Boolean> modes = new ArrayList<>();
            EncoderInput prompted = EncoderInput.prompted(prompt, Placement.PREFIX);
            EncoderInput watched = (model, ids, mask) -> {
                PromptLayout.Combined c = prompted.build(model, ids, mask);
                modes.add(JniUtils.isGradMode());
                return c;
            };
            RankClassifier.score(m, watched, inputs, targets, 2, root);
            GenerationEvaluator.generate(m, watched, inputs, tokenizer, 3, 2, root);
            assertEquals(4, modes.size());
            assertFalse(modes.contains(true), "scoring ran with autograd on: " + modes);
            assertTrue(JniUtils.isGradMode(), "scoring must put the thread's autograd mode back");
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    @Test
    void snapshotsOfAHalfPrecisionModelLeaveNoCopies() {
        try (NDManager root = session.manager().newSubManager();
             T5Model half = T5Model.load(model, root.newSubManager(), ai.djl.ndarray.types.DataType.FLOAT16)) {
            int weights = half.manager().getManagedArrays().size();
            Trainable all = Trainable.model(half);
            for (int i = 0; i < 3; i++) {
                all.snapshot();
            }
            assertEquals(weights, half.manager().getManagedArrays().size(), "a float32 copy per snapshot");
        }
    }
}
