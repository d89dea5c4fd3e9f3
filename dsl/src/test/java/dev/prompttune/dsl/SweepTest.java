package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/** A 3 × 3 grid (length × init) trains nine prompts on one loaded model. */
@ExtendWith(HomeExtension.class)
class SweepTest {

    @TempDir
    Path tmp;

    @Test
    void threeLengthsByThreeInitsLoadTheModelOnce() {
        try (Session session = new Session()) {
            Experiments experiments = new Experiments(session);
            String script = """
                    sweep {
                        model 'tiny'
                        data 'markers'
                        length 1, 2, 4
                        init 'random', 'vocab', 'labels'
                        steps 6
                        batch 8
                        evalEvery 3
                        save '%s'
                    }
                    """.formatted(tmp.resolve("runs"));
            SweepResult sweep = (SweepResult) new ScriptRunner(experiments).run(script, "ablation.groovy");

            assertEquals(1, session.modelLoads(), "the model is loaded once for the whole grid");
            assertEquals(1, sweep.modelLoads());
            assertEquals(9, sweep.runs().size());
            assertEquals(List.of("length", "init"), sweep.axes());
            // Grid order: first axis outermost.
            List<String> names = sweep.runs().stream().map(PromptTuneRun::name).toList();
            assertEquals(List.of("markers-random-1", "markers-vocab-1", "markers-labels-1", "markers-random-2", "markers-vocab-2",
                    "markers-labels-2", "markers-random-4", "markers-vocab-4", "markers-labels-4"), names);
            for (PromptTuneRun r : sweep.runs()) {
                assertEquals(6, r.steps());
                assertEquals(r.length() * 32L, r.paramsTrainable());
            }
            // Baselines depend on the task, not the prompt: scored once.
            assertEquals(List.of("design", "majority"), List.copyOf(sweep.runs().get(0).baselines().keySet()));
            assertTrue(sweep.runs().subList(1, 9).stream().allMatch(r -> r.baselines().isEmpty()));
            assertEquals(sweep.runs().get(5), sweep.get(Map.of("length", 2, "init", "labels")));
            // A point that is not there: the values each axis has (it named the axes only).
            assertEquals("sweep has no point {length=7}; allowed: {length=[1, 2, 4], init=[random, vocab, labels]}",
                    assertThrows(dev.prompttune.core.PromptTuneException.class, () -> sweep.get(Map.of("length", 7)))
                            .getMessage());

            String table = sweep.table();
            assertTrue(table.contains("by length (rows) and init (columns)"), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith("4 ") && l.split("\\s+").length == 4), table);
            assertTrue(table.contains("baselines (accuracy): design"), table);
            assertTrue(table.contains("9 runs, model loaded 1 time;"), table);
            assertEquals(9, experiments.runs().size());
        }
    }

    @Test
    void everyPointIsValidatedBeforeTheFirstTrains() {
        Recording recording = new Recording() {
            @Override
            protected void prepare(PromptTuneSpec spec) {
                if (spec.length() == 3) {
                    throw new dev.prompttune.core.PromptTuneException("point with length 3 is bad");
                }
            }
        };
        ScriptError e = org.junit.jupiter.api.Assertions.assertThrows(ScriptError.class, () -> new ScriptRunner(recording)
                .run("sweep {\n  model 'tiny'; data 'markers'\n  length 1, 2, 3\n}\n", "s.groovy"));
        assertEquals("s.groovy:1: point with length 3 is bad", e.getMessage());
        assertTrue(recording.specs.isEmpty(), "nothing trained");
    }

    @Test
    void seedsShareTheirBaselinesUnlessModelTuningTrainsOne() {
        Recording plain = new Recording();
        new ScriptRunner(plain).run("sweep { model 'tiny'; data 'markers'; batch 8, 16; seed 1, 2, 3 }", "s.groovy");
        assertEquals(List.of(List.of("design", "majority"), List.of(), List.of(), List.of("design", "majority"), List.of(),
                List.of()), plain.specs.stream().map(PromptTuneSpec::baselines).toList(),
                "prompt design and the majority class do not depend on the seed: once per batch size");

        Recording tuned = new Recording();
        new ScriptRunner(tuned).run("sweep { model 'tiny'; data 'markers'; baselines 'design', 'modelTuning'; "
                + "seed 1, 2; length 1, 2 }", "s.groovy");
        assertEquals(List.of(List.of("design", "modelTuning"), List.of(), List.of("design", "modelTuning"), List.of()),
                tuned.specs.stream().map(PromptTuneSpec::baselines).toList(),
                "model tuning trains with the seed: once per seed (length is the prompt's own setting)");
    }

    @Test
    void namedSweepsNameTheirPointsAndOtherAxesAppearInNames() {
        Recording recording = new Recording();
        SweepResult s = (SweepResult) new ScriptRunner(recording)
                .run("sweep { model 'tiny'; data 'markers'; name 'grid'; lr 0.1, 0.3; seed 1, 2 }", "s.groovy");
        assertEquals(List.of("grid-0.1-1", "grid-0.1-2", "grid-0.3-1", "grid-0.3-2"),
                s.runs().stream().map(PromptTuneRun::name).toList());
        SweepResult t = (SweepResult) new ScriptRunner(recording)
                .run("sweep { model 'tiny'; data 'markers'; length 5; optimizer 'adafactor', 'adamw' }", "s.groovy");
        assertEquals(List.of("markers-labels-5-optimizeradafactor", "markers-labels-5-optimizeradamw"),
                t.runs().stream().map(PromptTuneRun::name).toList());
        assertEquals(0.01, t.runs().get(1).spec().weightDecay(), "AdamW's default weight decay, not Adafactor's");
    }
}
