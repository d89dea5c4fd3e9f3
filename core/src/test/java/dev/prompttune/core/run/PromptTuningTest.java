package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.EngineThreads;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.ResidualReparam;
import dev.prompttune.core.prompt.ResidualReparamTest;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API end to end: spec → validated → trained → evaluated with baselines → recorded → reloaded. */
class PromptTuningTest {

    @TempDir
    static Path tmp;
    static Path model;
    static Path train;
    static Path dev;
    static Path test;
    static Session session;

    @BeforeAll
    static void world() throws IOException {
        model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        TinyWorld.splits(tmp, 300, 80, 80);
        train = tmp.resolve("train.jsonl");
        dev = tmp.resolve("dev.jsonl");
        test = tmp.resolve("test.jsonl");
        session = new Session();
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().model(model.toString()).train(train).dev(dev).test(test)
                .template("classify: {text}").labels(Map.of("a", "good", "b", "never")).length(20).init("random")
                .steps(300).batch(16).evalEvery(100).save(tmp.resolve("runs"));
    }

    @Test
    void trainsEvaluatesRecordsAndReloads() {
        PromptTuneRun run = new PromptTuning(session).execute(spec().name("tiny").build(), List.of());
        // Margins measured over 12 seeds (42, 1-11) of this spec: dev 0.675-1.0, test 0.7375-0.9875, against design
        // 0.45 and majority 0.55 (seed 42, the default used here: 0.975 / 0.95). The former dev >= 0.9 and
        // test >= 0.85 failed on 3 and 2 of those seeds.
        assertTrue(run.dev() >= 0.6, "dev " + run.dev());
        assertTrue(run.test() >= run.baselines().get("design") + 0.2, run.table());
        assertTrue(run.baselines().containsKey("majority"));
        assertEquals(20L * 32, run.paramsTrainable());
        assertEquals(80, run.predictions().size());

        Path record = run.record();
        for (String f : List.of("spec.json", "metrics.jsonl", "prompt.safetensors", "prompt.json", "summary.json", "predictions.jsonl")) {
            assertTrue(Files.isRegularFile(record.resolve(f)), f);
        }
        PromptTuneRun loaded = RunRecord.load(record);
        assertArrayEquals(run.prompt(), loaded.prompt());
        assertEquals(run.dev(), loaded.dev());
        assertEquals(run.test(), loaded.test());
        assertEquals(run.losses(), loaded.losses());
        assertEquals(run.spec().toJson(), loaded.spec().toJson(), "the resolved spec round-trips");
        // Re-evaluated from the record alone: the same test metric.
        assertEquals(run.test(), new PromptTuning(session).reevaluate(record).value(), 0.0);
    }

    /**
     * Scoring a trained prompt does not read the file it began from: a run from {@code init file(…)} whose file was
     * moved since is still re-evaluated from its record (it failed: "init file: … does not exist"). Training from it
     * still reads it.
     */
    @Test
    void aRecordWhoseInitFileIsGoneStillScores() throws IOException {
        PromptTuneRun first = new PromptTuning(session).execute(spec().name("first").steps(4).evalEvery(2).build(), List.of());
        Path init = tmp.resolve("init-gone.safetensors");
        Files.copy(first.record().resolve("prompt.safetensors"), init);
        Files.copy(first.record().resolve("prompt.json"), tmp.resolve("init-gone.json"));
        PromptTuneSpec fromFile = spec().name("from-file").init(new FileInit(init)).steps(4).evalEvery(2).build();
        PromptTuneRun run = new PromptTuning(session).execute(fromFile, List.of());
        Files.delete(init);
        assertEquals(run.test(), new PromptTuning(session).reevaluate(run.record()).value(), 0.0);
        PromptTuneException training = assertThrows(PromptTuneException.class, () -> new PromptTuning(session).prepare(fromFile));
        assertTrue(training.getMessage().contains(init + " does not exist"), training.getMessage());
    }

    /**
     * Epochs become steps of what a step really draws: a batch larger than the training data holds every example once,
     * so 3 epochs are 3 steps (with the batch as given, 3 × 300 / 1,000 made them 1 step, one epoch).
     */
    @Test
    void epochsCountABatchBeyondTheDataAsTheData() {
        ExperimentContext ctx = ExperimentContext.of(session, spec().epochs(3).batch(1000).build());
        assertEquals(3, ctx.trainingSettings().steps());
        ctx = ExperimentContext.of(session, spec().epochs(3).batch(100).gradientAccumulation(2).build());
        assertEquals(5, ctx.trainingSettings().steps(), "ceil(3 × 300 / 200)");
    }

    @Test
    void summaryHasTheDocumentedKeys() throws IOException {
        PromptTuneRun run = new PromptTuning(session).execute(spec().name("keys").steps(20).evalEvery(10).build(), List.of());
        JsonObject s = JsonParser.parseString(Files.readString(run.record().resolve("summary.json"))).getAsJsonObject();
        for (String key : List.of("name", "metric", "dev", "test", "baselines", "steps", "seconds", "peak_rss_mib",
                "params_trainable", "params_total")) {
            assertTrue(s.has(key), key);
        }
        assertTrue(s.getAsJsonObject("baselines").has("design") && s.getAsJsonObject("baselines").has("majority"));
        // What the last digits depend on: the PyTorch thread count this process trained with, and the CPU.
        JsonObject env = s.getAsJsonObject("environment");
        assertEquals(EngineThreads.intraOp(), env.get("pytorch_threads").getAsInt());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.get("cores").getAsInt());
        assertFalse(env.get("cpu").getAsString().isBlank());
        JsonObject spec = JsonParser.parseString(Files.readString(run.record().resolve("spec.json"))).getAsJsonObject();
        for (String key : List.of("model", "length", "init", "placement", "optimizer", "lr", "batch", "steps", "seed", "precision")) {
            assertTrue(spec.has(key), "spec.json lacks " + key);
        }
    }

    /**
     * calibrate true: dev, test and the design baseline come from calibrated scores, the uncalibrated ones stand
     * beside them in the run, the table and summary.json, and both survive a reload. The uncalibrated test equals
     * scoring the same saved prompt with calibration off.
     */
    @Test
    void calibratedRunReportsCalibratedAndUncalibratedScores() throws IOException {
        PromptTuneRun run = new PromptTuning(session).execute(spec().name("calibrated").calibrate(true).steps(30).evalEvery(10)
                .build(), List.of());
        PromptTuneRun.Uncalibrated u = run.uncalibrated();
        assertTrue(u != null && !Double.isNaN(u.dev()) && !Double.isNaN(u.test()), run.table());
        assertTrue(u.baselines().containsKey("design") && !u.baselines().containsKey("majority"), String.valueOf(u.baselines()));
        assertEquals(java.util.Set.of("good", "never"), u.contentFreePrior().keySet());
        assertTrue(run.table().contains("test uncal"), run.table());
        JsonObject s = JsonParser.parseString(Files.readString(run.record().resolve("summary.json"))).getAsJsonObject();
        for (String key : List.of("calibrated", "dev_uncalibrated", "test_uncalibrated", "baselines_uncalibrated", "content_free_prior")) {
            assertTrue(s.has(key), key);
        }
        PromptTuneRun loaded = RunRecord.load(run.record());
        assertEquals(u.test(), loaded.uncalibrated().test());
        assertEquals(u.baselines(), loaded.uncalibrated().baselines());
        assertTrue(loaded.spec().calibrate());

        ScoredSplit again = new PromptTuning(session).reevaluate(run.record());
        assertEquals(run.test(), again.value(), 0.0);
        assertEquals(u.test(), again.uncalibrated(), 0.0);
        // The same record with calibration switched off scores the saved prompt plainly: the uncalibrated test.
        Path plain = Files.createDirectories(tmp.resolve("plain-copy"));
        for (String f : List.of("summary.json", "metrics.jsonl", "prompt.safetensors", "prompt.json", "predictions.jsonl")) {
            Files.copy(run.record().resolve(f), plain.resolve(f));
        }
        JsonObject spec = JsonParser.parseString(Files.readString(run.record().resolve("spec.json"))).getAsJsonObject();
        spec.addProperty("calibrate", false);
        Files.writeString(plain.resolve("spec.json"), spec.toString());
        ScoredSplit uncalibrated = new PromptTuning(session).reevaluate(plain);
        assertEquals(u.test(), uncalibrated.value(), 0.0);
        assertTrue(Double.isNaN(uncalibrated.uncalibrated()));
    }

    /**
     * reparam 'residual': the saved prompt is the projection P' = P + MLP(P) the model saw, not P. With a learning
     * rate too small to move anything, P' must equal the float64 reference projection of the initial P and the
     * initial MLP; and the saved plain prompt, scored afresh, gives exactly the dev value measured through the MLP.
     */
    @Test
    void residualRunSavesTheProjectedPrompt() throws IOException {
        int length = 4;
        int width = 32;
        int bottleneck = 5;
        float[] initial = new float[length * width];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = (float) Math.sin(0.37 * i);
        }
        Path init = PromptFile.save(Files.createDirectories(tmp.resolve("residual-init")), "p",
                initial, length, width, null);
        PromptTuneSpec spec = spec().name("residual").test(null).length(length).init(PromptInit.file(init)).reparam("residual")
                .reparamBottleneck(bottleneck).lr(1e-12).weightDecay(0).steps(1).evalEvery(1).baselines().build();
        PromptTuneRun run = new PromptTuning(session).execute(spec, List.of());
        assertEquals((long) length * width + 2L * width * bottleneck + bottleneck + 3L * width, run.paramsTrainable());

        float[][] mlp;
        try (var m = session.manager().newSubManager();
             var fresh = ResidualReparam.create(width, bottleneck, spec.seed(), m)) {
            mlp = fresh.snapshot();
        }
        double[] expected = ResidualReparamTest.reference(initial, length, width, bottleneck, mlp);
        double maxDiff = 0;
        double maxShift = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - run.prompt()[i]));
            maxShift = Math.max(maxShift, Math.abs(initial[i] - run.prompt()[i]));
        }
        assertTrue(maxDiff < 1e-4, "saved prompt vs reference projection: max difference " + maxDiff);
        assertTrue(maxShift > 0.1, "the projection moved the prompt (by " + maxShift + "), so P was not saved as is");
        assertArrayEquals(run.prompt(), PromptFile.load(run.record().resolve("prompt.safetensors")).values());
        assertEquals(run.dev(), new PromptTuning(session).reevaluate(run.record()).value(), 0.0);
        JsonObject s = JsonParser.parseString(Files.readString(run.record().resolve("summary.json"))).getAsJsonObject();
        assertEquals("residual", s.get("reparam").getAsString());
    }

    /** A spec.json written before calibrate and reparam existed reads back with their defaults. */
    @Test
    void olderSpecJsonGetsTheDefaults() {
        JsonObject json = spec().build().toJson();
        for (String key : List.of("calibrate", "reparam", "reparamBottleneck")) {
            assertTrue(json.has(key), key);
            json.remove(key);
        }
        PromptTuneSpec back = SpecJson.fromJson(json);
        assertTrue(!back.calibrate());
        assertEquals("none", back.reparam());
        assertEquals(100, back.reparamBottleneck());
    }

    /** The Java API's null arguments are named (each was a NullPointerException from deep inside). */
    @Test
    void nullArgumentsOfTheApiAreNamed() {
        assertEquals("the spec is null; allowed: a spec (PromptTuneSpec.builder()…build())",
                assertThrows(PromptTuneException.class, () -> PromptTuning.run(null)).getMessage());
        assertTrue(assertThrows(PromptTuneException.class, () -> PromptTuning.run(
                PromptTuneSpec.builder().model("m").data("spam").build(), (TrainingListener) null)).getMessage()
                .startsWith("listener 1 of 1 is null"));
        assertTrue(assertThrows(PromptTuneException.class, () -> PromptTuning.resume(null)).getMessage()
                .startsWith("resume: the run record folder is null"));
        assertTrue(assertThrows(PromptTuneException.class, () -> RunRecord.load(null)).getMessage()
                .startsWith("the run record folder is null"));
    }

    /** Invalid settings fail before any model is loaded, naming the setting, the value and what is allowed. */
    @Test
    void invalidSettingsFailBeforeTheModelLoads() throws IOException {
        int loads = session.modelLoads();
        expect(b -> b.length(0), "length is 0", "length >= 1");
        expect(b -> b.lr(0), "lr is 0.0", "lr > 0");
        expect(b -> b.lr(-1), "lr is -1.0", "lr > 0");
        // Infinity passed `>= 0` and failed at the record's JSON with a stack trace
        expect(b -> b.weightDecay(Double.POSITIVE_INFINITY), "weightDecay is Infinity", "finite weightDecay >= 0");
        expect(b -> b.precision("bf16"), "bf16", "aborts");
        expect(b -> b.optimizer("sgd"), "'sgd'", "adafactor, adafactor-hf, adamw");
        expect(b -> b.init("labelz"), "'labelz'", "random, vocab, labels");
        expect(b -> b.device("tpu"), "'tpu'", "auto, cpu, gpu");
        expect(b -> b.reparam("mlp"), "reparam 'mlp'", "none, residual");
        expect(b -> b.reparamBottleneck(0), "reparamBottleneck is 0", "1 <= reparamBottleneck");
        expect(b -> b.calibrate(true).evaluation("generate"), "calibrate true", "evaluation 'rank'");
        Path unknownLabel = Files.writeString(tmp.resolve("bad-label.jsonl"), "{\"text\": \"city\", \"label\": \"a\"}\n{\"text\": \"weather\", \"label\": \"maybe\"}\n");
        expect(b -> b.train(unknownLabel), "maybe", "bad-label.jsonl:2");
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "");
        expect(b -> b.dev(empty), "empty", "dev");
        expect(b -> b.template("{text} {missing}"), "missing", "text");
        Path wide = tmp.resolve("wide.safetensors");
        new SafetensorsWriter().add("prompt_embeddings", new float[8 * 64], new long[] {8, 64}, "F32").write(wide);
        expect(b -> b.init(PromptInit.file(wide)), "width 64", "width (d_model) 32");
        // Finite, but infinite in half precision: the run failed at its first step ("loss became NaN").
        Path huge = tmp.resolve("huge.safetensors");
        float[] hugeValues = new float[4 * 32];
        hugeValues[33] = 1e30f;
        new SafetensorsWriter().add("prompt_embeddings", hugeValues, new long[] {4, 32}, "F32").write(huge);
        expect(b -> b.length(4).precision("fp16").init(PromptInit.file(huge)), "1 of 128 prompt values are beyond half "
                + "precision's range, ±65504 (the first, 1.0E30, at row 1, column 1)", "or precision 'fp32'");
        new PromptTuning(session).prepare(spec().length(4).init(PromptInit.file(huge)).build()); // fp32: fine
        expect(b -> b.model(tmp.resolve("no-such-model").toString()), "no-such-model", "registered");
        assertEquals(loads, session.modelLoads(), "no model was loaded");
    }

    private static void expect(Consumer<PromptTuneSpec.Builder> change, String... fragments) {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> {
            PromptTuneSpec.Builder b = spec();
            change.accept(b);
            new PromptTuning(session).prepare(b.build());
        });
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
