package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.cli.CliTest.Result;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prompttune resume RECORD} and the DSL's {@code resume 'RECORD'} finish an interrupted run as the
 * uninterrupted run ends (prompt bits, losses, dev scores); a record that cannot be resumed is one line, exit 2.
 */
class ResumeCommandTest {

    @TempDir
    static Path tmp;
    static Path home;
    static PromptTuneRun uninterrupted;

    @BeforeAll
    static void setUp() throws Exception {
        home = dev.prompttune.dsl.TestHomes.tiny();
        uninterrupted = new PromptTuning(Session.shared()).execute(spec("full"), List.of());
    }

    /** The tiny marker task, 6 steps, dev every 2, dropout on. */
    static PromptTuneSpec spec(String name) {
        Path task = home.resolve("data/tasks/markers");
        return PromptTuneSpec.builder().name(name).model(home.resolve("models/tiny").toString())
                .train(task.resolve("train.jsonl")).dev(task.resolve("dev.jsonl")).template("classify: {text}")
                .labels(Map.of("a", "good", "b", "never")).length(4).init("random").steps(6).batch(8).evalEvery(2)
                .dropout(0.1).baselines().save(tmp.resolve("runs")).build();
    }

    /** A record of the run interrupted after its third step. */
    static Path interrupted(String name) {
        TrainingListener stop = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() == 3) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return new PromptTuning(Session.shared()).execute(spec(name), List.of(stop)).record();
    }

    @Test
    void theResumeCommandFinishesTheRun() {
        Path record = interrupted("cli");
        Result r = CliTest.cli(home, "resume", "-q", record.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("prompt tuning"), r.out());
        assertSameAsUninterrupted(RunRecord.load(record));
    }

    @Test
    void theDslVerbFinishesTheRun() throws Exception {
        Path record = interrupted("dsl");
        Path script = Files.writeString(tmp.resolve("resume.groovy"), "resume '" + record + "'\n");
        Result r = CliTest.cli(home, "run", "-q", script.toString());
        assertEquals(0, r.status(), r.err());
        assertSameAsUninterrupted(RunRecord.load(record));
    }

    /** A record folder that is not there said "is not a run record: it has no spec.json". */
    @Test
    void aMissingRecordIsNamedAsMissing() {
        Result r = CliTest.cli(home, "resume", "-q", tmp.resolve("nope").toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(List.of("prompttune: run record " + tmp.resolve("nope") + " does not exist; allowed: a folder under "
                + "runs/ that a run wrote"), CliTest.withoutEngineLog(r.err()));
    }

    @Test
    void aFinishedRecordIsOneLineAndExit2() {
        Result r = CliTest.cli(home, "resume", "-q", uninterrupted.record().toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(List.of("prompttune: " + uninterrupted.record().resolve("checkpoint.safetensors") + ": no checkpoint, so "
                + uninterrupted.record() + " cannot be resumed; allowed: the record of a run that stopped before its end "
                + "(interrupted, failed on a cluster, or killed after its first evaluation; a run that finished removes its "
                + "checkpoint)"), CliTest.withoutEngineLog(r.err()));
    }

    private static void assertSameAsUninterrupted(PromptTuneRun resumed) {
        assertEquals(uninterrupted.losses(), resumed.losses());
        assertEquals(uninterrupted.evals(), resumed.evals());
        assertEquals(uninterrupted.dev(), resumed.dev());
        float[] a = uninterrupted.prompt();
        float[] b = resumed.prompt();
        assertTrue(Arrays.equals(a, b), "prompt bits");
    }
}
