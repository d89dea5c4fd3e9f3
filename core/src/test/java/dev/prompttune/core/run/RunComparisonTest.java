package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TrainingListener.EvalEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.prompttune.core.train.StopReason;

class RunComparisonTest {

    private static PromptTuneRun run(String name, String init, int length, List<Double> losses, List<EvalEvent> evals) {
        PromptTuneSpec spec = PromptTuneSpec.builder().name(name).model("models/t5-mini").train(Path.of("t.jsonl"))
                .init(init).length(length).build();
        return new PromptTuneRun(spec, name + "-1", null, "accuracy", 0.9, 20, 0.85, Map.of("design", 0.5), losses.size(), 12.5,
                300, length * 32L, 1000, StopReason.COMPLETED, new float[length * 32], length, 32, losses, evals, List.of());
    }

    /** Without a labelled test split the baselines were scored on dev: the run's table shows them there. */
    @Test
    void baselinesOfARunWithoutTestLabelsAreInTheDevColumn() {
        PromptTuneSpec spec = PromptTuneSpec.builder().name("n").model("models/t5-mini").train(Path.of("t.jsonl")).build();
        PromptTuneRun run = new PromptTuneRun(spec, "n-1", null, "accuracy", 0.9, 20, Double.NaN, Map.of("design", 0.5), 3,
                12.5, 300, 32L, 1000, StopReason.COMPLETED, new float[32], 1, 32, List.of(), List.of(), List.of());
        List<String> lines = run.table().lines().toList();
        assertEquals(String.format(java.util.Locale.ROOT, "%-28s %-10s %8s %8s", "baseline: design", "accuracy", "0.5000", ""),
                lines.get(2));
        assertEquals("no labelled test split: the baselines are scored on dev", lines.get(3));
    }

    /** Null, an empty list and a null member are named (a NullPointerException, or an empty table, from Java). */
    @Test
    void nothingToCompareIsRefused() {
        PromptTuneRun a = run("a", "labels", 5, List.of(3.0), List.of());
        assertEquals("compare: the list of runs is null; allowed: one or more runs", org.junit.jupiter.api.Assertions
                .assertThrows(dev.prompttune.core.PromptTuneException.class, () -> RunComparison.of((List<PromptTuneRun>) null)).getMessage());
        assertEquals("compare: no runs given; allowed: one or more runs", org.junit.jupiter.api.Assertions
                .assertThrows(dev.prompttune.core.PromptTuneException.class, () -> RunComparison.of()).getMessage());
        assertEquals("compare: run 2 of 2 is null; allowed: runs (from promptTune, load or loadPrompt)",
                org.junit.jupiter.api.Assertions.assertThrows(dev.prompttune.core.PromptTuneException.class,
                        () -> RunComparison.of(java.util.Arrays.asList(a, null))).getMessage());
    }

    @Test
    void tableAndCurvesComeFromTheRuns() {
        PromptTuneRun a = run("a", "labels", 5, List.of(3.0, 2.0, 1.0), List.of(new EvalEvent(2, "accuracy", 0.7, 0.7, 2)));
        PromptTuneRun b = run("b", "random", 20, List.of(4.0, 3.5), List.of());
        RunComparison c = RunComparison.of(a, b);
        assertEquals(2, c.rows().size());
        assertEquals("labels", c.rows().get(0).init());
        assertEquals(20, c.rows().get(1).length());
        assertEquals(640L, c.rows().get(1).paramsTrainable());
        assertArrayEquals(new double[] {1, 2, 3}, c.loss().get(0).x());
        assertArrayEquals(new double[] {3, 2, 1}, c.loss().get(0).y());
        assertArrayEquals(new double[] {2}, c.dev().get(0).x());
        assertArrayEquals(new double[] {0.7}, c.dev().get(0).y());
        String table = c.table();
        assertTrue(table.contains("t5-mini") && table.contains("0.9000") && table.contains("0.8500"), table);
        assertEquals(3, table.lines().count());
    }

    /**
     * Runs scored by different metrics show each row's metric (an accuracy sat beside a macro-F1 in one column, unsaid);
     * a model name longer than the column keeps the columns aligned.
     */
    /** A loaded prompt file has no time: its row says "-", as for a missing score (it said NaN). */
    @Test
    void aLoadedPromptsTimeIsADash() {
        PromptTuneRun a = run("a", "labels", 5, List.of(1.0), List.of());
        PromptTuneRun loaded = new PromptTuneRun(a.spec(), "p", null, "accuracy", 0.8, 7, Double.NaN, Map.of(), 7, Double.NaN,
                0, 160L, 0, StopReason.LOADED, new float[160], 5, 32, List.of(), List.of(), List.of());
        String row = RunComparison.of(a, loaded).table().lines().toList().get(2);
        assertTrue(!row.contains("NaN") && row.matches(".* 7 +- +160$"), row);
    }

    @Test
    void runsOfDifferentMetricsSayEachOnesMetric() {
        PromptTuneRun a = run("a", "labels", 5, List.of(1.0), List.of());
        PromptTuneRun m = new PromptTuneRun(a.spec().toBuilder().model("models/t5-mini-topics-long").build(), "m-1", null,
                "macro_f1", 0.4, 20, 0.33, Map.of(), 1, 12.5, 300, 160L, 1000, StopReason.COMPLETED, new float[160], 5, 32,
                List.of(1.0), List.of(), List.of());
        List<String> lines = RunComparison.of(a, m).table().lines().toList();
        assertTrue(lines.get(0).contains(" metric "), lines.get(0));
        assertTrue(lines.get(1).contains(" accuracy ") && lines.get(2).contains(" macro_f1 "), String.join("\n", lines));
        assertEquals(lines.get(0).indexOf(" dev") + 4, lines.get(2).indexOf("0.4000") + 6, String.join("\n", lines));
        assertTrue(!RunComparison.of(a, a).table().contains("metric"));
    }

    /** A calibrated run puts its uncalibrated test beside the calibrated one; without one the table is as before. */
    @Test
    void calibratedRunsShowTheUncalibratedTestBeside() {
        PromptTuneRun plain = run("plain", "labels", 5, List.of(1.0), List.of());
        PromptTuneRun r = run("cal", "labels", 5, List.of(1.0), List.of());
        PromptTuneRun calibrated = new PromptTuneRun(r.spec(), r.id(), null, r.metric(), r.dev(), r.bestStep(), r.test(),
                r.baselines(), r.steps(), r.seconds(), r.peakRssMib(), r.paramsTrainable(), r.paramsTotal(), r.stopReason(),
                r.prompt(), r.length(), r.width(), r.losses(), r.evals(), r.predictions(),
                new PromptTuneRun.Uncalibrated(0.61, 0.625, Map.of("design", 0.45), Map.of("good", -0.2, "never", -1.7)));
        assertTrue(!RunComparison.of(plain).table().contains("uncal"), RunComparison.of(plain).table());
        String table = RunComparison.of(plain, calibrated).table();
        assertTrue(table.lines().findFirst().orElseThrow().endsWith("test uncal"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("cal ") && l.endsWith("0.6250")), table);
        String own = calibrated.table();
        assertTrue(own.contains("dev uncal") && own.contains("0.6100") && own.contains("0.4500"), own);
    }
}
