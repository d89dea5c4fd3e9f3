package dev.prompttune.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.model.T5Weights;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.InitContext;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompt tuning a frozen fixture-sized T5 (random weights, d_model 32) on a task whose label is recoverable from
 * the input: the paper's optimiser at its learning rate must lift dev accuracy far above chance and above the
 * prompt-design baseline, leave every weight untouched, and repeat itself exactly from the same seed.
 */
class PromptTrainingTest {

    private static final int P = 10;
    private static NDManager root;
    private static T5Model model;
    private static final TokenizedTask TRAIN = SyntheticTask.make("train", 400, 2, 1);
    private static final TokenizedTask DEV = SyntheticTask.make("dev", 100, 2, 2);

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

    static SoftPrompt newPrompt(T5Model m, long seed) {
        InitContext ctx = new InitContext(P, m.config().dModel, m.embeddingTable(), null, null, seed, s -> {});
        return SoftPrompt.of(PromptInit.random().values(ctx), P, m.config().dModel, root);
    }

    static TrainingResult train(T5Model m, SoftPrompt prompt, Optimizer opt, int steps, List<TrainingListener> listeners) {
        return new Trainer(m, Trainable.prompt(prompt, Placement.PREFIX), opt,
                TrainingSettings.defaults(steps).withBatch(16).withEval(50, 0), "accuracy", listeners).run("test", TRAIN, DEV, root);
    }

    @Test
    void liftsDevAccuracyFarAboveChanceAndPromptDesign() {
        int[] design = RankClassifier.argmax(RankClassifier.score(model, EncoderInput.plain(), DEV.inputs(), DEV.classTargets(), 64, root));
        double designAccuracy = Metrics.accuracy(DEV.classes(), design);
        try (SoftPrompt prompt = newPrompt(model, 7); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            TrainingResult r = train(model, prompt, opt, 300, List.of());
            assertEquals(StopReason.COMPLETED, r.reason());
            // Measured over prompt seeds 7, 17, 1, 2: best dev 1.0 on each (by step 200), design 0.49.
            assertTrue(r.bestValue() >= 0.9, "best dev accuracy " + r.bestValue());
            assertTrue(r.bestValue() >= designAccuracy + 0.3, "prompt tuning " + r.bestValue() + " vs design " + designAccuracy);
            // The prompt left in place is the best one: re-evaluating it gives the best dev accuracy.
            int[] tuned = RankClassifier.argmax(RankClassifier.score(model, EncoderInput.prompted(prompt, Placement.PREFIX),
                    DEV.inputs(), DEV.classTargets(), 64, root));
            assertEquals(r.bestValue(), Metrics.accuracy(DEV.classes(), tuned), 1e-9);
        }
    }

    @Test
    void frozenMeansFrozen() {
        Map<String, float[]> before = new HashMap<>();
        for (T5Weights.Declared d : model.weights().all().values()) {
            before.put(d.name(), d.parameter().getArray().toFloatArray());
        }
        try (SoftPrompt prompt = newPrompt(model, 3); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            float[] initial = prompt.toFloats();
            train(model, prompt, opt, 20, List.of());
            assertFalse(java.util.Arrays.equals(initial, prompt.toFloats()), "the prompt must change");
            assertEquals(1, opt.stateTensorCount(), "optimizer state for the prompt alone");
            assertEquals((long) P * model.config().dModel, opt.stateElementCount(), "unfactored second moment of [p, H]");
        }
        for (T5Weights.Declared d : model.weights().all().values()) {
            assertArrayEquals(before.get(d.name()), d.parameter().getArray().toFloatArray(), d.name() + " changed");
            assertFalse(d.parameter().getArray().hasGradient() && d.parameter().getArray().getGradient().abs().sum().getFloat() > 0,
                    d.name() + " got a gradient");
        }
    }

    @Test
    void sameSeedGivesIdenticalLosses() {
        List<Double> first;
        List<Double> second;
        try (SoftPrompt prompt = newPrompt(model, 5); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            first = train(model, prompt, opt, 30, List.of()).losses();
        }
        try (SoftPrompt prompt = newPrompt(model, 5); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            second = train(model, prompt, opt, 30, List.of()).losses();
        }
        assertEquals(30, first.size());
        assertEquals(first, second);
    }

    @Test
    void interruptStopsAtTheNextStepAndKeepsTheBestPrompt() {
        try (SoftPrompt prompt = newPrompt(model, 11); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            TrainingListener interruptAt60 = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 60) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            TrainingResult r = train(model, prompt, opt, 300, List.of(interruptAt60));
            assertFalse(Thread.interrupted(), "the interrupt flag is consumed");
            assertEquals(StopReason.INTERRUPTED, r.reason());
            assertEquals(60, r.steps());
            assertEquals(50, r.bestStep(), "the evaluation at step 50 is the best so far");
            int[] kept = RankClassifier.argmax(RankClassifier.score(model, EncoderInput.prompted(prompt, Placement.PREFIX),
                    DEV.inputs(), DEV.classTargets(), 64, root));
            assertEquals(r.bestValue(), Metrics.accuracy(DEV.classes(), kept), 1e-9, "the prompt in place is the best one");
        }
    }

    /**
     * A step of many micro-batches (here hundreds of seconds of them) stops at the next micro-batch, not at the
     * step's end: the partial gradient is dropped and the prompt is the one before the step.
     */
    @Test
    void interruptInsideALongStepStopsAtTheNextMicroBatch() throws Exception {
        try (SoftPrompt prompt = newPrompt(model, 19); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            float[] initial = prompt.toFloats();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            TrainingListener onStart = new TrainingListener() {
                @Override
                public void onStart(StartEvent e) {
                    started.countDown();
                }
            };
            TrainingResult[] result = new TrainingResult[1];
            Thread worker = new Thread(() -> result[0] = new Trainer(model, Trainable.prompt(prompt, Placement.PREFIX),
                    opt, TrainingSettings.defaults(2).withBatch(16).withGradientAccumulation(200_000).withEval(1, 0),
                    "accuracy", List.of(onStart)).run("long-step", TRAIN, DEV, root));
            worker.start();
            assertTrue(started.await(60, java.util.concurrent.TimeUnit.SECONDS), "training started");
            Thread.sleep(500); // inside the first step's micro-batches
            worker.interrupt();
            worker.join(60_000);
            assertFalse(worker.isAlive(), "the interrupt waited for the end of a step of 200,000 micro-batches");
            assertEquals(StopReason.INTERRUPTED, result[0].reason());
            assertEquals(0, result[0].steps());
            assertArrayEquals(initial, prompt.toFloats(), "no partial step was applied");
            assertFalse(prompt.value().hasGradient()
                            && prompt.value().getGradient().abs().sum().getFloat() > 0,
                    "the partial gradient was zeroed");
        }
    }

    @Test
    void nanLossStopsNamingTheStepAndKeepsTheLastGoodPrompt() {
        try (SoftPrompt prompt = newPrompt(model, 13); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            float[][] good = new float[1][];
            List<TrainingListener.FailedEvent> failures = new java.util.ArrayList<>();
            TrainingListener poison = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 7) {
                        good[0] = prompt.toFloats();
                        float[] bad = good[0].clone();
                        bad[0] = Float.NaN; // as if an update had blown up
                        prompt.set(bad);
                    }
                }

                @Override
                public void onFailed(FailedEvent e) {
                    failures.add(e);
                }
            };
            TrainingResult r = new Trainer(model, Trainable.prompt(prompt, Placement.PREFIX), opt,
                    TrainingSettings.defaults(100).withBatch(16).withEval(0, 0), "accuracy", List.of(poison))
                    .run("nan", TRAIN, null, root);
            assertEquals(StopReason.DIVERGED, r.reason());
            assertEquals(7, r.steps());
            assertTrue(r.failure().contains("NaN") && r.failure().contains("step 8"), r.failure());
            assertTrue(r.failure().endsWith("kept the prompt of the last step with a finite loss"), r.failure());
            assertEquals(1, failures.size());
            assertEquals(8, failures.get(0).step());
            float[] kept = prompt.toFloats();
            for (float v : kept) {
                assertTrue(Float.isFinite(v), "the kept prompt is finite");
            }
        }
    }

    /**
     * A run that diverges after an evaluation keeps its best prompt, and says so (it said "the prompt of the last step
     * with a finite loss" while the best one was kept).
     */
    @Test
    void aRunDivergingAfterAnEvaluationSaysItKeptTheBestPrompt() {
        try (SoftPrompt prompt = newPrompt(model, 13); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            float[][] best = new float[1][];
            TrainingListener poison = new TrainingListener() {
                @Override
                public void onNewBest(EvalEvent e) {
                    best[0] = prompt.toFloats();
                }

                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 5) {
                        float[] bad = prompt.toFloats();
                        bad[0] = Float.NaN;
                        prompt.set(bad);
                    }
                }
            };
            TrainingResult r = new Trainer(model, Trainable.prompt(prompt, Placement.PREFIX), opt,
                    TrainingSettings.defaults(100).withBatch(16).withEval(2, 0), "accuracy", List.of(poison))
                    .run("nan-after-eval", TRAIN, DEV, root);
            assertEquals(StopReason.DIVERGED, r.reason());
            assertTrue(r.failure().endsWith("kept the best prompt (step " + r.bestStep() + ")"), r.failure());
            org.junit.jupiter.api.Assertions.assertArrayEquals(best[0], prompt.toFloats(), "the best prompt is the one kept");
        }
    }

    /** A prompt that is NaN from the start: the first step has no finite loss, so the run FAILED (no DoneEvent). */
    @Test
    void aLossThatIsNeverFiniteFailsTheRun() {
        float[] nan = new float[P * model.config().dModel];
        java.util.Arrays.fill(nan, Float.NaN);
        try (SoftPrompt prompt = SoftPrompt.of(nan, P, model.config().dModel, root); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            List<String> events = new java.util.ArrayList<>();
            TrainingListener watch = new TrainingListener() {
                @Override
                public void onDone(DoneEvent e) {
                    events.add("done");
                }

                @Override
                public void onFailed(FailedEvent e) {
                    events.add("failed at " + e.step());
                }
            };
            TrainingResult r = train(model, prompt, opt, 20, List.of(watch));
            assertEquals(StopReason.FAILED, r.reason());
            assertEquals(0, r.steps());
            assertTrue(r.failure().contains("step 1") && r.failure().contains("before any step with a finite loss"), r.failure());
            assertEquals(List.of("failed at 1"), events);
        }
    }

    @Test
    void halfPrecisionTrainsLikeFullPrecision() {
        double full;
        double half;
        List<Double> fullLosses;
        List<Double> halfLosses;
        try (SoftPrompt prompt = newPrompt(model, 17); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            TrainingResult r = train(model, prompt, opt, 200, List.of());
            full = r.bestValue();
            fullLosses = r.losses();
        }
        try (T5Model fp16 = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root, DataType.FLOAT16);
             SoftPrompt prompt = newPrompt(fp16, 17);
             Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            assertEquals(DataType.FLOAT32, prompt.value().getDataType(), "the prompt stays float32");
            TrainingResult r = train(fp16, prompt, opt, 200, List.of());
            half = r.bestValue();
            halfLosses = r.losses();
        }
        // Stated tolerance: first loss within 1% (same prompt, half-precision weights and activations), final dev
        // accuracy within 0.05 of float32's. Measured over seeds 7, 17, 1, 2: first losses within 0.06%, best dev
        // 1.0 in both precisions at 200 steps.
        assertEquals(fullLosses.get(0), halfLosses.get(0), 0.01 * fullLosses.get(0));
        assertEquals(full, half, 0.05, "fp32 " + full + " vs fp16 " + half);
    }
}
