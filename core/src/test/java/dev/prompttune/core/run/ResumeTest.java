package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped part-way and resumed from its record's checkpoint ends exactly as a run that was never stopped: the
 * same prompt bits, losses, dev evaluations, best step and test score. Dropout is on, so the masks of the resumed
 * steps must be the uninterrupted run's too. Stops: an interrupt between evaluations (the checkpoint is written at
 * the stop) and a process that dies between evaluations (the checkpoint of the last evaluation; later metrics lines
 * are dropped). And the errors: no checkpoint, a damaged one, another model's, a spec that differs.
 */
class ResumeTest {

    static final int STEPS = 7;

    @TempDir
    static Path tmp;
    static Path model;
    static Session session;
    static PromptTuneRun uninterrupted;

    @BeforeAll
    static void world() throws IOException {
        model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        TinyWorld.splits(tmp, 48, 16, 16);
        session = new Session();
        uninterrupted = run(spec().name("full").build());
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** 7 steps of batch 4 over 48 rows (an epoch is 12 steps), dev every 2 steps, dropout on, patience counted. */
    static PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().model(model.toString()).train(tmp.resolve("train.jsonl")).dev(tmp.resolve("dev.jsonl"))
                .test(tmp.resolve("test.jsonl")).template("classify: {text}").labels(Map.of("a", "good", "b", "never"))
                .length(4).init("random").lr(0.3).steps(STEPS).batch(4).evalEvery(2).patience(10).dropout(0.1).seed(7)
                .baselines().save(tmp.resolve("runs"));
    }

    static PromptTuneRun run(PromptTuneSpec spec, TrainingListener... listeners) {
        return new PromptTuning(session).execute(spec, List.of(listeners));
    }

    static PromptTuneRun resume(Path record) {
        return new PromptTuning(session).resume(record, null, List.of());
    }

    @Test
    void anInterruptedRunResumedEqualsTheUninterruptedRun() throws IOException {
        PromptTuneRun stopped = run(spec().name("interrupted").build(), atStep(3, () -> Thread.currentThread().interrupt()));
        assertEquals(StopReason.INTERRUPTED, stopped.stopReason());
        assertEquals(3, stopped.steps());
        assertTrue(RunCheckpoint.exists(stopped.record()), "an interrupted run keeps its checkpoint");

        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        PromptTuneRun resumed;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            resumed = resume(stopped.record());
        } finally {
            System.setErr(err);
        }
        // The log says where the run picks up (it read as a fresh run whose first steps were missing).
        assertTrue(log.toString(java.nio.charset.StandardCharsets.UTF_8).contains("[INFO] interrupted: resuming from step 3 of "
                + STEPS + " (best dev " + String.format(java.util.Locale.ROOT, "%.4f", stopped.evals().get(0).bestValue())
                + " at step 2) in " + stopped.record()), log.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertSameRun(uninterrupted, resumed);
        assertEquals(stopped.record(), resumed.record(), "resumed into its own record");
        assertFalse(RunCheckpoint.exists(resumed.record()), "a finished run removes its checkpoint");
        assertSameRun(uninterrupted, RunRecord.load(resumed.record()));
    }

    /**
     * Ctrl-C before the first evaluation (step 1 of evaluations every 2): the record says what it keeps, the prompt
     * after step 1 with its dev score (it said "dev NaN, best step 0" and its summary.json was not valid JSON), and the
     * resumed run still equals the uninterrupted one (that score is not part of the checkpoint).
     */
    @Test
    void anInterruptBeforeTheFirstEvaluationScoresTheKeptPromptAndStillResumesExactly() throws IOException {
        PromptTuneRun stopped = run(spec().name("before-eval").build(), atStep(1, () -> Thread.currentThread().interrupt()));
        assertEquals(StopReason.INTERRUPTED, stopped.stopReason());
        assertEquals(1, stopped.steps());
        assertEquals(1, stopped.bestStep(), "the kept prompt is the one after step 1");
        assertTrue(Double.isFinite(stopped.dev()), "scored on dev: " + stopped.dev());
        assertTrue(stopped.evals().isEmpty(), "no evaluation of the schedule happened: " + stopped.evals());
        String summary = Files.readString(stopped.record().resolve("summary.json"));
        assertFalse(summary.contains("NaN"), summary);
        PromptTuneRun loaded = RunRecord.load(stopped.record());
        assertEquals(stopped.dev(), loaded.dev(), 1e-12);
        assertEquals(1, loaded.bestStep());
        assertArrayEquals(stopped.prompt(), loaded.prompt(), "the record's prompt is the one scored");
        // Independently: the saved prompt, scored on dev again, gives the recorded value.
        assertEquals(stopped.dev(), devScore(loaded), 1e-9);

        assertSameRun(uninterrupted, resume(stopped.record()));
    }

    /** The run's prompt scored on its dev split, as a fresh evaluation does. */
    private static double devScore(PromptTuneRun run) {
        ExperimentContext ctx = ExperimentContext.of(session, run.spec());
        try (SoftPrompt p = SoftPrompt.of(run.prompt(), run.length(), run.width(), session.manager())) {
            return ctx.score(p, ctx.arrays().dev()).value();
        }
    }

    /** Residual Prompt Tuning: the checkpoint holds the MLP's arrays and their optimizer state beside the prompt's. */
    @Test
    void aResidualRunResumesToo() {
        PromptTuneRun full = run(spec().name("residual-full").reparam("residual").reparamBottleneck(8).build());
        PromptTuneRun stopped = run(spec().name("residual").reparam("residual").reparamBottleneck(8).build(),
                atStep(3, () -> Thread.currentThread().interrupt()));
        assertSameRun(full, resume(stopped.record()));
    }

    @Test
    void aRunKilledBetweenEvaluationsResumesFromTheLastOne() throws IOException {
        // Dies at step 6, before its evaluation (and before the record logs the step): the record has metrics up to
        // step 5, the checkpoint of step 4's evaluation, no summary.
        assertThrows(Killed.class, () -> run(spec().name("killed").build(), atStep(6, () -> {
            throw new Killed();
        })));
        Path record = record("killed");
        assertFalse(Files.exists(record.resolve("summary.json")));
        assertEquals(5, Files.readAllLines(record.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"step\"")
                && l.contains("\"type\":\"step\"")).count());

        PromptTuneRun resumed = resume(record);
        assertSameRun(uninterrupted, resumed);
        assertSameRun(uninterrupted, RunRecord.load(record));
    }

    @Test
    void aFinishedRunHasNoCheckpointToResume() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(uninterrupted.record()));
        assertEquals(uninterrupted.record().resolve("checkpoint.safetensors") + ": no checkpoint, so "
                + uninterrupted.record() + " cannot be resumed; allowed: the record of a run that stopped before its end "
                + "(interrupted, failed on a cluster, or killed after its first evaluation; a run that finished removes its "
                + "checkpoint)", e.getMessage());
    }

    @Test
    void aTruncatedCheckpointIsNamed() throws IOException {
        Path record = interrupted("truncated");
        Path checkpoint = record.resolve(RunCheckpoint.FILE);
        byte[] bytes = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertTrue(e.getMessage().startsWith(checkpoint + ": corrupt checkpoint: "), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: the checkpoint prompttune wrote"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(Files.exists(record.resolve("summary.json")), "a refused resume leaves the record as it was");
    }

    /** A NaN written into the checkpoint's current prompt: refused, naming the tensor (it used to train and fail). */
    @Test
    void aCheckpointHoldingANaNIsRefused() throws IOException {
        Path record = interrupted("nan-checkpoint");
        Path checkpoint = record.resolve(RunCheckpoint.FILE);
        long at;
        try (dev.prompttune.core.io.SafetensorsFile in = dev.prompttune.core.io.SafetensorsFile.open(checkpoint)) {
            at = in.info("current.0").begin() + 4 * 3; // element 3, float32 little-endian
        }
        byte[] bytes = Files.readAllBytes(checkpoint);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat((int) at, Float.NaN);
        Files.write(checkpoint, bytes);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertEquals(checkpoint + ": corrupt checkpoint: tensor current.0 holds NaN at index 3 (a checkpoint's values are "
                + "finite); allowed: the checkpoint prompttune wrote (saves are atomic: a killed process leaves the "
                + "previous one whole, so a damaged one was changed by something else)", e.getMessage());
        assertTrue(Files.exists(checkpoint), "a refused resume keeps the checkpoint");
    }

    /** A finite value changed in place: refused by the tensors' checksum (it passed every other check and trained on). */
    @Test
    void aCheckpointChangedInPlaceIsRefused() throws IOException {
        Path record = interrupted("changed-checkpoint");
        Path checkpoint = record.resolve(RunCheckpoint.FILE);
        long at;
        try (dev.prompttune.core.io.SafetensorsFile in = dev.prompttune.core.io.SafetensorsFile.open(checkpoint)) {
            at = in.info("current.0").begin() + 4 * 3;
        }
        byte[] bytes = Files.readAllBytes(checkpoint);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat((int) at, 0.5f);
        Files.write(checkpoint, bytes);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertTrue(e.getMessage().startsWith(checkpoint + ": corrupt checkpoint: its tensors changed since it was written "
                + "(checksum sha256:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; allowed: the checkpoint as prompttune wrote it, or start afresh without it "
                + "(delete " + checkpoint + ")"), e.getMessage());
        assertTrue(Files.exists(checkpoint), "a refused resume keeps the checkpoint");
    }

    @Test
    void aCheckpointWhoseStepDisagreesWithItsLossesSaysSoOnce() throws IOException {
        Path record = interrupted("step-edited");
        Path checkpoint = record.resolve(RunCheckpoint.FILE);
        byte[] bytes = Files.readAllBytes(checkpoint);
        int headerLength = (int) java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, headerLength, java.nio.charset.StandardCharsets.UTF_8);
        byte[] edited = header.replaceFirst("\\\\\"step\\\\\":\\d+", "\\\\\"step\\\\\":5000")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + edited.length + bytes.length - 8 - headerLength)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(edited.length).put(edited).put(bytes, 8 + headerLength, bytes.length - 8 - headerLength);
        Files.write(checkpoint, out.array());
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(checkpoint + ": corrupt checkpoint: ")
                + "\\d+ losses at step 5000 \\(one per step\\); allowed: the checkpoint prompttune wrote [^;]*"), e.getMessage());
    }

    /** A split changed since the run started: the refusal names the split (it printed both maps of 64-digit hashes). */
    @Test
    void changedDataIsRefusedNamingTheSplit() throws IOException {
        Path train = Files.copy(tmp.resolve("train.jsonl"), tmp.resolve("train-changing.jsonl"));
        run(spec().name("data-changed").train(train).steps(2).build(), atStep(1, () -> Thread.currentThread().interrupt()));
        Path record = record("data-changed");
        List<String> rows = Files.readAllLines(train);
        Files.write(train, rows.subList(0, rows.size() - 1));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertTrue(e.getMessage().startsWith(record.resolve(RunCheckpoint.FILE) + ": the data changed since the run "
                + "started: train ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(" now); allowed: the data the run was trained on"), e.getMessage());
        assertFalse(e.getMessage().contains("dev (") || e.getMessage().contains("test ("), e.getMessage());
    }

    /** spec.json edited after the run started: the refusal names each setting that differs (it gave two hashes). */
    @Test
    void anEditedSpecIsRefusedNamingTheSettings() throws IOException {
        Path record = interrupted("edited-spec");
        Path specFile = record.resolve("spec.json");
        String text = Files.readString(specFile);
        String edited = text.replaceFirst("\"lr\":\\s*0\\.3", "\"lr\": 0.1");
        assertFalse(edited.equals(text), text);
        Files.writeString(specFile, edited);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertEquals(record.resolve(RunCheckpoint.FILE) + ": the run was started with other settings than it is resumed "
                + "with: lr (started 0.3, now 0.1); allowed: the settings the run was started with (a run's spec.json: "
                + "was it edited? a model build's options)", e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused() throws IOException {
        Path record = interrupted("other-model");
        Path other = TinyWorld.model(Files.createDirectory(tmp.resolve("other-model")), 2);
        Path specFile = record.resolve("spec.json");
        Files.writeString(specFile, Files.readString(specFile).replace(model.toString(), other.toString()));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> resume(record));
        assertTrue(e.getMessage().startsWith(record.resolve(RunCheckpoint.FILE) + ": the checkpoint's model embedding "
                + "fingerprint is sha256:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; allowed: the model the run was trained on"), e.getMessage());
    }

    @Test
    void aGivenSpecMustBeTheRecordedOne() throws IOException {
        Path record = interrupted("given-spec");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> new PromptTuning(session).resume(record,
                spec().name("given-spec").lr(0.1).steps(9).build(), List.of()));
        assertEquals(record.resolve("spec.json") + ": resuming needs the recorded spec, but the given one differs in "
                + "lr (record 0.3, given 0.1), steps (record 2, given 9); allowed: the record's own settings (or no "
                + "spec: resume runs spec.json)", e.getMessage());
    }

    /**
     * Metrics whose bytes are not UTF-8 (a disk error, an editor): the unreadable lines are rebuilt from the checkpoint
     * as any damaged line is, and the run resumes exactly. It failed with "cannot reopen run record …: Input length = 1".
     */
    @Test
    void metricsThatAreNotUtf8AreRebuiltAndTheRunResumes() throws IOException {
        PromptTuneRun stopped = run(spec().name("not-utf8").build(), atStep(3, () -> Thread.currentThread().interrupt()));
        Path metrics = stopped.record().resolve("metrics.jsonl");
        byte[] bytes = Files.readAllBytes(metrics);
        bytes[1] = (byte) 0xff; // inside the first line
        Files.write(metrics, bytes);
        assertSameRun(uninterrupted, resume(stopped.record()));
    }

    /**
     * A resume killed part-way leaves no prompt of the earlier stop in the record: loaded, it was taken as the record's
     * prompt (steps 3) while the checkpoint had gone further. The checkpoint resumes it to the uninterrupted result.
     */
    @Test
    void aKilledResumeLeavesNoStalePromptAndResumesAgain() throws IOException {
        PromptTuneRun stopped = run(spec().name("resume-killed").build(), atStep(3, () -> Thread.currentThread().interrupt()));
        Path record = stopped.record();
        assertTrue(Files.exists(record.resolve("prompt.safetensors")));
        assertThrows(Killed.class, () -> new PromptTuning(session).resume(record, null, List.of(atStep(5, () -> {
            throw new Killed();
        }))));
        for (String result : List.of("summary.json", "prompt.safetensors", "prompt.json", "predictions.jsonl")) {
            assertFalse(Files.exists(record.resolve(result)), result + " of the earlier stop is left");
        }
        assertSameRun(uninterrupted, resume(record));
    }

    private static Path interrupted(String name) throws IOException {
        run(spec().name(name).steps(2).build(), atStep(1, () -> Thread.currentThread().interrupt()));
        return record(name);
    }

    private static Path record(String name) throws IOException {
        try (Stream<Path> records = Files.list(tmp.resolve("runs"))) {
            return records.filter(p -> p.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
        }
    }

    private static void assertSameRun(PromptTuneRun expected, PromptTuneRun actual) {
        assertEquals(StopReason.COMPLETED, actual.stopReason());
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.losses(), actual.losses(), "losses");
        assertEquals(expected.evals(), actual.evals(), "dev evaluations");
        assertEquals(expected.bestStep(), actual.bestStep());
        assertEquals(expected.dev(), actual.dev());
        assertEquals(expected.test(), actual.test());
        assertEquals(expected.prompt().length, actual.prompt().length);
        for (int i = 0; i < expected.prompt().length; i++) {
            assertEquals(Float.floatToRawIntBits(expected.prompt()[i]), Float.floatToRawIntBits(actual.prompt()[i]),
                    "prompt element " + i);
        }
    }

    private static TrainingListener atStep(int step, Runnable action) {
        return new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() == step) {
                    action.run();
                }
            }
        };
    }

    /** Stands in for SIGKILL: the run ends at once, leaving its record as the disk had it. */
    static final class Killed extends Error {}
}
