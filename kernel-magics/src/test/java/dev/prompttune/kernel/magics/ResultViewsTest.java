package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.prompttune.core.train.StopReason;

/**
 * A run's notebook view: a calibrated run shows calibrated and uncalibrated dev and test side by side; a task of data
 * files is named by its training file.
 */
class ResultViewsTest {

    private static PromptTuneRun run(PromptTuneRun.Uncalibrated uncalibrated) {
        PromptTuneSpec spec = PromptTuneSpec.builder().name("r").model("models/t5-mini").train(Path.of("t.jsonl")).length(2)
                .calibrate(uncalibrated != null).build();
        return new PromptTuneRun(spec, "r-1", null, "accuracy", 0.7, 10, 0.66, Map.of("design", 0.52, "majority", 0.5), 10, 1.0,
                100, 64, 1000, StopReason.COMPLETED, new float[64], 2, 32, List.of(1.0), List.of(), List.of(), uncalibrated);
    }

    @Test
    void calibratedRunShowsBothScores() {
        String html = ResultViews.run(run(new PromptTuneRun.Uncalibrated(0.55, 0.53, Map.of("design", 0.49), Map.of()))).data()
                .get("text/html");
        assertTrue(html.contains("(test, calibrated)") && html.contains("(test, uncalibrated)"), html);
        assertTrue(html.contains("0.5300") && html.contains("0.4900"), html);
        String plain = ResultViews.run(run(null)).data().get("text/html");
        assertTrue(!plain.contains("calibrated") && plain.contains("accuracy (test)"), plain);
    }

    /** A task given as data files is named by its training file (the notebook said "on null"). */
    @Test
    void aTaskOfDataFilesIsNamedByItsTrainingFile() {
        String html = ResultViews.run(run(null)).data().get("text/html");
        assertTrue(html.contains("models/t5-mini on t:") && !html.contains("null"), html);
        String loaded = ResultViews.loaded(run(null)).data().get("text/html");
        assertTrue(loaded.contains("task t ") && !loaded.contains("null"), loaded);
    }
}
