package dev.prompttune.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.train.TrainingListener.EvalEvent;
import dev.prompttune.core.train.TrainingListener.StartEvent;
import dev.prompttune.core.train.TrainingListener.StepEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console progress as a sweep drives it: several runs through one listener, log mode (not a terminal). */
class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ConsoleProgress progress =
            new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 50);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyEvaluationGetsALineNamingItsStep() {
        progress.onStart(new StartEvent("a", 150, 100, 20, 10, 1000));
        progress.onStep(new StepEvent(150, 150, 1.0, 0.3, 10, 15));
        progress.onEval(new EvalEvent(150, "accuracy", 0.6120, 0.6120, 150));

        String last = lines().get(lines().size() - 1);
        assertEquals("eval at step 150: dev accuracy 0.6120 (best 0.6120 at step 150)", last);
    }

    @Test
    void aNewRunDoesNotShowThePreviousRunsDevScore() {
        progress.onStart(new StartEvent("first", 150, 100, 20, 10, 1000));
        progress.onEval(new EvalEvent(150, "accuracy", 0.6120, 0.6120, 150));
        progress.onStart(new StartEvent("second", 150, 100, 20, 10, 1000));
        progress.onStep(new StepEvent(50, 150, 1.0, 0.3, 10, 5));

        String stepLine = lines().stream().filter(l -> l.contains("50/150")).findFirst().orElseThrow();
        assertFalse(stepLine.contains("0.6120"), stepLine);
        progress.onEval(new EvalEvent(75, "accuracy", 0.5320, 0.5320, 75));
        progress.onStep(new StepEvent(100, 150, 1.0, 0.3, 10, 10));
        String later = lines().stream().filter(l -> l.contains("100/150")).findFirst().orElseThrow();
        assertTrue(later.endsWith("| dev accuracy 0.5320 (best 0.5320 @75)"), later);
    }

    /** A run stopped before its first step (or without dev) has no dev score: the line says so, not "NaN". */
    @Test
    void theDoneLineNamesAMissingDevScore() {
        progress.onStart(new StartEvent("a", 150, 100, 20, 10, 1000));
        progress.onDone(new TrainingListener.DoneEvent(0, StopReason.INTERRUPTED, Double.NaN, 0, 21.0));
        progress.onDone(new TrainingListener.DoneEvent(150, StopReason.COMPLETED, 0.75, 100, 30.0));
        List<String> l = lines();
        assertEquals("done: interrupted after 0 steps in 0m21s; no dev score", l.get(l.size() - 2));
        assertEquals("done: completed after 150 steps in 0m30s; best dev 0.7500 at step 100", l.get(l.size() - 1));
    }

    /**
     * A failed or diverged run's status line names the step and what happened; what was kept is said once, by the
     * run's warning or error that follows (the whole message was printed twice).
     */
    @Test
    void aFailureIsAStatusLineNotTheWholeMessage() {
        progress.onStart(new StartEvent("a", 150, 100, 20, 10, 1000));
        progress.onFailed(new TrainingListener.FailedEvent(2, "loss became NaN at step 2; kept the prompt of the last step "
                + "with a finite loss"));
        List<String> l = lines();
        assertEquals("stopped at step 2: loss became NaN at step 2", l.get(l.size() - 1));
    }
}
