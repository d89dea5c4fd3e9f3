package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run under the fast-dev-run switch, end to end on the tiny model: 2 steps whatever the spec asked, dev and test
 * cut to 8 examples, the model-tuning baseline capped too, and the record, the table and a re-evaluation all
 * marked and consistent.
 */
class FastDevRunTrainingTest {

    @TempDir
    static Path tmp;
    static Session session;
    static PromptTuneRun run;

    @BeforeAll
    static void trainUnderTheSwitch() throws IOException {
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        session = new Session();
        var spec = PromptTuneSpec.builder().model(model.toString())
                .train(TinyWorld.split(tmp.resolve("train.jsonl"), 300, 1)).dev(TinyWorld.split(tmp.resolve("dev.jsonl"), 80, 2))
                .test(TinyWorld.split(tmp.resolve("test.jsonl"), 80, 3)).template("classify: {text}")
                .labels(Map.of("a", "good", "b", "never")).length(20).init("random").batch(16).save(tmp.resolve("runs"))
                .name("fast").steps(3000).evalEvery(1000).baselines("design", "majority", "modelTuning").build();
        String before = System.getProperty(FastDevRun.PROPERTY);
        System.setProperty(FastDevRun.PROPERTY, "1");
        try {
            run = new PromptTuning(session).execute(spec, List.of());
        } finally {
            if (before == null) {
                System.clearProperty(FastDevRun.PROPERTY);
            } else {
                System.setProperty(FastDevRun.PROPERTY, before);
            }
        }
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void trainsAtMostTwoStepsAndScoresAtMost8Examples() {
        assertTrue(run.spec().fastDevRun());
        assertEquals(FastDevRun.MAX_STEPS, run.steps());
        assertEquals(FastDevRun.MAX_BATCH, run.spec().batch(), "the spec's batch of 16 is capped");
        assertEquals(List.of(1, 2), run.evals().stream().map(TrainingListener.EvalEvent::step).toList());
        assertEquals(FastDevRun.MAX_EVAL_EXAMPLES, run.predictions().size(), "test has 80 examples; 8 are scored");
        assertEquals(List.of("design", "majority", "modelTuning"), List.copyOf(run.baselines().keySet()));
    }

    @Test
    void theRecordAndTheTablesSaySo() throws IOException {
        JsonObject spec = JsonParser.parseString(Files.readString(run.record().resolve("spec.json"))).getAsJsonObject();
        assertTrue(spec.get("fastDevRun").getAsBoolean());
        assertEquals(FastDevRun.MAX_STEPS, spec.get("steps").getAsInt());
        JsonObject summary = JsonParser.parseString(Files.readString(run.record().resolve("summary.json"))).getAsJsonObject();
        assertTrue(summary.get("fast_dev_run").getAsBoolean());
        assertTrue(run.table().startsWith(FastDevRun.BANNER + "\n"), run.table());
        assertTrue(RunComparison.of(run).table().startsWith(FastDevRun.BANNER + "\n"));
        assertTrue(RunRecord.load(run.record()).spec().fastDevRun(), "reloaded from the record");
    }

    @Test
    void reevaluatingTheRecordUsesTheSameCapsWithTheSwitchOff() {
        String before = System.getProperty(FastDevRun.PROPERTY);
        System.setProperty(FastDevRun.PROPERTY, "0");
        try {
            ScoredSplit again = new PromptTuning(session).reevaluate(run.record());
            assertEquals(FastDevRun.MAX_EVAL_EXAMPLES, again.predictions().size());
            assertEquals(run.test(), again.value(), 0.0);
        } finally {
            if (before == null) {
                System.clearProperty(FastDevRun.PROPERTY);
            } else {
                System.setProperty(FastDevRun.PROPERTY, before);
            }
        }
    }

    @Test
    void aRealRunIsNotMarked() {
        PromptTuneSpec real = run.spec().toBuilder().fastDevRun(false).build();
        PromptTuneRun unmarked = new PromptTuneRun(real, "x", null, "accuracy", 0.5, 1, 0.5, Map.of(), 1, 1, 1, 1, 1, StopReason.COMPLETED,
                new float[1], 1, 1, List.of(), List.of(), List.of());
        assertFalse(unmarked.table().contains("FAST DEV RUN"), unmarked.table());
        assertFalse(RunComparison.of(unmarked).table().contains("FAST DEV RUN"));
    }
}
