package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

/**
 * The stop button (and a kernel's SIGTERM) reach a training run as one interrupt of its thread, which the run checks
 * at its next step. The live view runs on that thread at every step and evaluation: drawing its chart there (XChart on
 * Java2D) cleared a pending interrupt in about half the draws, and the run trained on. The view must leave the
 * interrupt where it was, and still show the chart.
 */
class LiveProgressInterruptTest {

    @Test
    void drawingTheLiveViewLeavesTheTrainingThreadsInterruptPending() {
        List<String> shown = new ArrayList<>();
        DisplayPublisher.Sink sink = new DisplayPublisher.Sink() {
            @Override
            public synchronized void display(DisplayData data) {
                shown.add(data.hasDataForType(MIMEType.IMAGE_PNG) ? "png" : "text");
            }

            @Override
            public synchronized void update(String id, DisplayData data) {
                shown.add(data.hasDataForType(MIMEType.IMAGE_PNG) ? "png update" : "text update");
            }
        };
        LiveProgress.showCharts(true);
        try (DisplayPublisher publisher = new DisplayPublisher(sink)) {
            LiveProgress view = new LiveProgress(publisher);
            Thread.currentThread().interrupt();
            view.onStart(new TrainingListener.StartEvent("run", 100, 64, 16, 80, 1000));
            assertTrue(Thread.currentThread().isInterrupted(), "after the start");
            for (int step = 1; step <= 40; step++) {
                view.onStep(new TrainingListener.StepEvent(step, 100, 1.0 / step, 0.3, 10, step * 0.01));
                if (step % 2 == 0) {
                    view.onEval(new TrainingListener.EvalEvent(step, "accuracy", 0.5 + step / 100.0, 0.5 + step / 100.0, step));
                }
                assertTrue(Thread.currentThread().isInterrupted(), "after step " + step + " and its evaluation");
            }
            view.onDone(new TrainingListener.DoneEvent(40, StopReason.INTERRUPTED, 0.9, 40, 0.4));
            assertTrue(Thread.currentThread().isInterrupted(), "after the end");
        } finally {
            Thread.interrupted();
        }
        synchronized (sink) {
            assertEquals("text", shown.get(0), "the progress line first");
            assertTrue(shown.contains("png"), "the chart was shown: " + shown);
            assertTrue(shown.contains("png update"), "and redrawn: " + shown);
        }
    }
}
