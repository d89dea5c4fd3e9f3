package dev.prompttune.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop shared by prompt tuning and model tuning: micro-batches with gradient accumulation, an
 * optimiser step, periodic rank-classification evaluation on dev, the best state kept, early stopping.
 *
 * <p>A step's gradient comes from a {@link StepGradients}: this process by default, or a cluster backend
 * ({@link #withGradients}); the trainer draws the step's micro-batches and does the clipping and the update itself.
 *
 * <p>Faults: an interrupt stops at the next step boundary, or, in a step of several micro-batches computed here, at
 * the next micro-batch, dropping that step's partial gradient (the best state is kept); a non-finite loss stops with
 * {@link StopReason#DIVERGED}, restoring the last state that gave a finite loss, or with {@link StopReason#FAILED}
 * when the very first step had none; a step whose gradient cannot be computed ({@link GradientsUnavailable}: a
 * cluster job failed after its retries) stops with FAILED, keeping the best state. Every step's arrays live in a
 * sub-manager closed at the step's end, so memory stays flat.
 *
 * <p>Resuming: the loop's whole state at a step boundary is a {@link TrainerState}; the trainer hands one to its
 * checkpoint sink ({@link #withCheckpoints}) after each evaluation and when it stops resumably, and continues from
 * one ({@link #resumingFrom}) exactly as the uninterrupted run would have.
 */
public final class Trainer {

    private final T5Model model;
    private final Trainable trainable;
    private final Optimizer optimizer;
    private final TrainingSettings settings;
    private final List<TrainingListener> listeners;
    private final Metric metric;
    private java.util.function.ToDoubleFunction<dev.prompttune.core.prompt.EncoderInput> devEvaluator;
    private StepGradients gradients;
    private TrainerState resumeFrom;
    private java.util.function.Consumer<TrainerState> checkpoints = state -> {};

    /** @param metric the dev selection metric by name ({@link Metric#key()}: "accuracy" or "macro_f1") */
    public Trainer(T5Model model, Trainable trainable, Optimizer optimizer, TrainingSettings settings, String metric,
                   List<TrainingListener> listeners) {
        this.model = model;
        this.trainable = trainable;
        this.optimizer = optimizer;
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
        this.metric = Metric.of(metric);
    }

    /**
     * Replaces rank classification as the dev metric (e.g. exact match of generations); higher is better.
     * The function gets the current encoder input (prompt included).
     */
    public Trainer withDevEvaluator(java.util.function.ToDoubleFunction<dev.prompttune.core.prompt.EncoderInput> evaluator) {
        this.devEvaluator = evaluator;
        return this;
    }

    /**
     * Steps take their gradients from {@code source} (a cluster backend's, made for this trainable and training
     * split) instead of this process. Its micro-batch contract is {@link StepGradients}'s.
     */
    public Trainer withGradients(StepGradients source) {
        this.gradients = source;
        return this;
    }

    /**
     * The run continues from {@code state} (a checkpoint of a run with the same model, trainable, optimizer kind and
     * settings) instead of starting: its steps, losses and evaluations continue those of the state, and the result is
     * the one the uninterrupted run would have given.
     */
    public Trainer resumingFrom(TrainerState state) {
        this.resumeFrom = state;
        return this;
    }

    /**
     * {@code sink} gets the loop's state after each dev evaluation, and when the run stops where it could go on (an
     * interrupt, a step whose gradient could not be computed): what a run record's checkpoint saves. It runs on the
     * training thread, after the evaluation's listeners.
     */
    public Trainer withCheckpoints(java.util.function.Consumer<TrainerState> sink) {
        this.checkpoints = sink;
        return this;
    }

    public TrainingResult run(String name, TokenizedTask train, TokenizedTask dev, NDManager root) {
        // Gradients are recorded only inside each micro-batch's GradMode.on() scope (MicroBatch; a new thread starts on).
        try (GradMode.Scope noGrad = GradMode.off()) {
            return runWithoutGradMode(name, train, dev, root);
        }
    }

    private TrainingResult runWithoutGradMode(String name, TokenizedTask train, TokenizedTask dev, NDManager root) {
        train.requireNonEmpty();
        boolean hasDev = dev != null && dev.size() > 0 && (dev.isClassification() || devEvaluator != null);
        StepGradients source = gradients != null ? gradients : StepGradients.local(model, trainable, train,
                settings.seed(), settings.dropoutFor(model), settings.loss(), root);
        int microPerStep = settings.gradientAccumulation() * source.workers();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        // Only what is trained records gradients; frozen weights never do.
        trainable.parameters().forEach(p -> p.setRequiresGradient(true));
        BatchOrder order = new BatchOrder(train.inputs(), settings.batchSize(), settings.seed());
        listeners.forEach(l -> l.onStart(new TrainingListener.StartEvent(name, settings.steps(), train.size(),
                hasDev ? dev.size() : 0, trainable.count(), model.parameterCount())));

        List<Double> losses = new ArrayList<>();
        List<TrainingListener.EvalEvent> evals = new ArrayList<>();
        float[][] best = trainable.snapshot();
        float[][] lastGood = best;
        double bestValue = Double.NEGATIVE_INFINITY;
        int bestStep = 0;
        int sinceBest = 0;
        StopReason reason = StopReason.COMPLETED;
        String failure = null;
        long start = System.nanoTime();
        long seen = 0;
        int step = 0;
        boolean resumable = false;
        if (resumeFrom != null) {
            trainable.restore(resumeFrom.current());
            optimizer.restore(resumeFrom.optimizer(), trainable.parameters());
            step = resumeFrom.step();
            losses.addAll(resumeFrom.losses());
            evals.addAll(resumeFrom.evals());
            best = resumeFrom.best();
            lastGood = resumeFrom.lastGood();
            bestValue = resumeFrom.bestValue();
            bestStep = resumeFrom.bestStep();
            sinceBest = resumeFrom.sinceBest();
            order.skip((long) step * microPerStep);
            if (settings.patience() > 0 && sinceBest >= settings.patience()) {
                reason = StopReason.EARLY_STOPPED; // saved by the evaluation that stopped the run
            }
        }
        try {
            while (step < settings.steps() && reason == StopReason.COMPLETED) {
                if (Thread.interrupted()) {
                    reason = StopReason.INTERRUPTED;
                    resumable = true;
                    break;
                }
                int examples = 0;
                List<int[]> microBatches = new ArrayList<>(microPerStep);
                for (int micro = 0; micro < microPerStep; micro++) {
                    int[] batch = order.next();
                    examples += batch.length;
                    microBatches.add(batch);
                }
                StepGradients.Step computed;
                try {
                    computed = source.compute(step, microBatches);
                } catch (GradientsUnavailable e) {
                    Optimizer.zeroGradients(trainable.parameters());
                    resumable = true;
                    if (e.interrupted()) {
                        reason = StopReason.INTERRUPTED;
                        break;
                    }
                    reason = StopReason.FAILED;
                    failure = "step " + (step + 1) + " failed: " + e.getMessage() + "; kept the "
                            + (bestStep > 0 ? "best prompt (step " + bestStep + ")" : "prompt after step " + step);
                    int failedStep = step + 1;
                    String message = failure;
                    listeners.forEach(l -> l.onFailed(new TrainingListener.FailedEvent(failedStep, message)));
                    break;
                }
                double loss = computed.loss();
                if (!Double.isFinite(loss)) {
                    Optimizer.zeroGradients(trainable.parameters());
                    trainable.restore(lastGood);
                    reason = step == 0 ? StopReason.FAILED : StopReason.DIVERGED;
                    failure = "loss became " + loss + " at step " + (step + 1) + (step == 0
                            ? ", before any step with a finite loss: nothing was trained (check the initial prompt and the model)"
                            : "; kept " + (bestStep > 0 ? "the best prompt (step " + bestStep + ")"
                                    : "the prompt of the last step with a finite loss"));
                    int failedStep = step + 1;
                    String message = failure;
                    listeners.forEach(l -> l.onFailed(new TrainingListener.FailedEvent(failedStep, message)));
                    break;
                }
                lastGood = trainable.snapshot();
                List<NDArray> grads = computed.gradients();
                if (settings.maxGradNorm() > 0) {
                    GradientClipping.clip(grads, settings.maxGradNorm());
                }
                optimizer.step(trainable.parameters(), grads);
                grads.forEach(NDArray::close);
                Optimizer.zeroGradients(trainable.parameters());
                step++;
                seen += examples;
                losses.add(loss);
                double elapsed = (System.nanoTime() - start) / 1e9;
                TrainingListener.StepEvent se = new TrainingListener.StepEvent(step, settings.steps(), loss,
                        optimizer.currentLearningRate(), seen / Math.max(elapsed, 1e-9), elapsed);
                listeners.forEach(l -> l.onStep(se));
                boolean evalNow = hasDev && ((settings.evalEvery() > 0 && step % settings.evalEvery() == 0) || step == settings.steps());
                if (evalNow) {
                    double value = evaluate(dev, root);
                    boolean improved = value > bestValue;
                    if (improved) {
                        bestValue = value;
                        bestStep = step;
                        best = trainable.snapshot();
                        sinceBest = 0;
                    } else {
                        sinceBest++;
                    }
                    TrainingListener.EvalEvent ee = new TrainingListener.EvalEvent(step, metric.key(), value, bestValue, bestStep);
                    evals.add(ee);
                    listeners.forEach(l -> l.onEval(ee));
                    if (improved) {
                        listeners.forEach(l -> l.onNewBest(ee));
                    }
                    checkpoint(step, best, lastGood, bestValue, bestStep, sinceBest, losses, evals);
                    if (settings.patience() > 0 && sinceBest >= settings.patience()) {
                        reason = StopReason.EARLY_STOPPED;
                        break;
                    }
                }
            }
            if (resumable) {
                checkpoint(step, best, lastGood, bestValue, bestStep, sinceBest, losses, evals);
            }
            // The best dev state wins; without one, the state stays at the last step (or the last good one).
            if (bestStep > 0) {
                trainable.restore(best);
            } else if (hasDev && step > 0) {
                // Stopped before its first evaluation (Ctrl-C, a divergence or a failed step; evalEvery 0 or not yet
                // reached): the prompt kept is the one after `step` steps, so that is the one the dev score describes.
                // Not part of the checkpoint written above, so a resumed run evaluates only where the uninterrupted
                // run would have.
                bestValue = evaluate(dev, root);
                bestStep = step;
            }
        } finally {
            source.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainingResult result = new TrainingResult(reason, step, metric.key(), hasDev && bestStep > 0 ? bestValue : Double.NaN,
                bestStep, losses, evals, seconds, trainable.count(), model.parameterCount(), failure);
        if (reason != StopReason.DIVERGED && reason != StopReason.FAILED) {
            TrainingListener.DoneEvent de = new TrainingListener.DoneEvent(step, reason, result.bestValue(), bestStep, seconds);
            listeners.forEach(l -> l.onDone(de));
        }
        return result;
    }

    /** Hands the loop's state (its locals, the trainable's values and the optimizer's state) to the checkpoint sink. */
    private void checkpoint(int step, float[][] best, float[][] lastGood, double bestValue, int bestStep, int sinceBest,
                            List<Double> losses, List<TrainingListener.EvalEvent> evals) {
        checkpoints.accept(new TrainerState(step, trainable.snapshot(), best, lastGood, bestValue, bestStep, sinceBest,
                losses, evals, optimizer.state()));
    }

    /** Rank-classification metric of the current state on a split. */
    private double evaluate(TokenizedTask split, NDManager root) {
        if (devEvaluator != null) {
            return devEvaluator.applyAsDouble(trainable.input());
        }
        float[][] scores = RankClassifier.score(model, trainable.input(), split.inputs(), split.classTargets(),
                settings.evalBatchSize(), root);
        int[] predicted = RankClassifier.argmax(scores);
        return metric.score(split.classes(), predicted, split.classTargets().length);
    }
}
