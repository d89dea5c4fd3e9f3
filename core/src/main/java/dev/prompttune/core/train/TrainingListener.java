package dev.prompttune.core.train;

/**
 * Receives a training run's events, in order: start, then per step {@code onStep} (and {@code onEval},
 * {@code onNewBest} when an evaluation happens), then exactly one of {@code onDone} / {@code onFailed}.
 * The console progress bar, the notebook's live display and the run-record writer are all listeners.
 * Listeners run on the training thread: keep them quick.
 */
public interface TrainingListener {

    /** Before the first step. */
    default void onStart(StartEvent e) {}

    /** After each optimiser step. */
    default void onStep(StepEvent e) {}

    /** After each evaluation on dev. */
    default void onEval(EvalEvent e) {}

    /** When an evaluation improves on the best dev metric so far (the prompt is kept). */
    default void onNewBest(EvalEvent e) {}

    /** The run ended normally, by early stopping, or by interrupt (see {@link DoneEvent#reason()}). */
    default void onDone(DoneEvent e) {}

    /** The run failed (e.g. the loss became NaN); the best prompt so far is still in the result. */
    default void onFailed(FailedEvent e) {}

    record StartEvent(String name, int totalSteps, int trainExamples, int devExamples, long paramsTrainable, long paramsTotal) {}

    record StepEvent(int step, int totalSteps, double loss, double learningRate, double examplesPerSecond, double elapsedSeconds) {}

    record EvalEvent(int step, String metric, double value, double bestValue, int bestStep) {}

    record DoneEvent(int steps, StopReason reason, double bestValue, int bestStep, double seconds) {}

    record FailedEvent(int step, String message) {}
}
