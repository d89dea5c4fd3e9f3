package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibrate} and {@code reparam} through the DSL: as sweep axes, and a calibrated run whose every later use
 * (predict, predictMixed, ensemble, baseline, loading its prompt file) scores the way the run itself did.
 */
@ExtendWith(HomeExtension.class)
class CalibrateAndReparamTest {

    @TempDir
    Path tmp;

    /** Both are grid axes; baselines depend on calibrate (they are calibrated too) but not on reparam. */
    @Test
    void sweepAxes() {
        Recording recording = new Recording();
        SweepResult sweep = recording.sweep(s -> {
            s.model("tiny");
            s.data("markers");
            s.reparam("none", "residual");
            s.calibrate(true, false);
        });
        assertEquals(List.of("reparam", "calibrate"), sweep.axes());
        List<PromptTuneSpec> specs = recording.specs;
        assertEquals(4, specs.size());
        assertEquals(List.of("none", "none", "residual", "residual"), specs.stream().map(PromptTuneSpec::reparam).toList());
        assertEquals(List.of(true, false, true, false), specs.stream().map(PromptTuneSpec::calibrate).toList());
        assertEquals(List.of(2, 2, 0, 0), specs.stream().map(s -> s.baselines().size()).toList());
        assertEquals("markers-labels-100-reparamresidual-calibratefalse", specs.get(3).name());
    }

    @Test
    void aCalibratedRunPredictsEnsemblesAndReloadsCalibrated() {
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun run = ex.promptTune(s -> s.model("tiny").data("markers").name("cal").length(4).init("random")
                    .steps(10).batch(8).evalEvery(5).calibrate(true).reparam("residual").reparamBottleneck(6)
                    .save(tmp.resolve("runs").toString()));
            assertTrue(run.uncalibrated() != null && run.uncalibrated().baselines().containsKey("design"), run.table());
            assertEquals(4 * 32, run.prompt().length, "the saved prompt is a plain [p, H] matrix");

            // predict on test examples: the calibrated scores the run recorded for them.
            List<PromptTuneRun.Prediction> recorded = run.predictions().subList(0, 3);
            List<String> texts = recorded.stream().map(p -> p.input().replaceFirst("^classify: ", "")).toList();
            List<Prediction> predicted = ex.predict(run, texts);
            List<Prediction> mixed = ex.predictMixed(List.of(run, run, run), texts);
            for (int i = 0; i < recorded.size(); i++) {
                float[] want = recorded.get(i).scores();
                assertScores(want, predicted.get(i).scores(), "predict " + i);
                assertScores(want, mixed.get(i).scores(), "predictMixed " + i);
                assertEquals(recorded.get(i).predicted(), predicted.get(i).target());
            }

            // An ensemble of one member is that member, calibrated.
            EnsembleResult one = ex.ensemble(run);
            assertEquals(run.test(), one.accuracy(), 1e-9);

            // The design baseline on its own equals the run's, calibrated and not.
            BaselineResult design = ex.baseline("design", s -> s.model("tiny").data("markers").calibrate(true));
            assertEquals(run.baselines().get("design"), design.value(), 0.0);
            assertEquals(run.uncalibrated().baselines().get("design"), design.uncalibrated(), 0.0);

            // A saved prompt file remembers to calibrate.
            Path file = ex.savePrompt(run, tmp.resolve("cal").toString());
            PromptTuneRun loaded = ex.loadPrompt(file.toString());
            assertTrue(loaded.spec().calibrate());
            assertScores(recorded.get(0).scores(), ex.predict(loaded, texts.get(0)).scores(), "loaded prompt");
        }
    }

    /** {@code loss} is a grid axis; prompt design and the majority class do not depend on it (scored once). */
    @Test
    void lossIsASweepAxisThatBaselinesIgnore() {
        Recording recording = new Recording();
        SweepResult sweep = recording.sweep(s -> {
            s.model("tiny");
            s.data("markers");
            s.loss("sequence", "classes");
        });
        assertEquals(List.of("loss"), sweep.axes());
        assertEquals(List.of("sequence", "classes"), recording.specs.stream().map(PromptTuneSpec::loss).toList());
        assertEquals(List.of(2, 0), recording.specs.stream().map(s -> s.baselines().size()).toList());
    }

    /** A run trained with {@code loss 'classes'} says so in its spec, its record and its prompt file. */
    @Test
    void aClassesLossRunRecordsItsLoss() throws Exception {
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun run = ex.promptTune(s -> s.model("tiny").data("markers").name("byclass").length(4)
                    .init("random").steps(6).batch(8).evalEvery(3).loss("classes").save(tmp.resolve("runs").toString()));
            assertEquals("classes", run.spec().loss());
            assertEquals(6, run.steps(), run.table());
            String spec = java.nio.file.Files.readString(run.record().resolve("spec.json"));
            assertTrue(spec.contains("\"loss\": \"classes\"") || spec.contains("\"loss\":\"classes\""), spec);
            Path file = ex.savePrompt(run, tmp.resolve("byclass").toString());
            assertEquals("classes", dev.prompttune.core.promptfile.PromptFile.load(file).metadata().hyperParameters().get("loss"));
        }
    }

    private static void assertScores(float[] expected, Map<String, Double> actual, String what) {
        List<Double> values = List.copyOf(actual.values());
        double[] got = new double[values.size()];
        double[] want = new double[expected.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = values.get(i);
            want[i] = expected[i];
        }
        assertArrayEquals(want, got, 1e-4, what);
    }
}
