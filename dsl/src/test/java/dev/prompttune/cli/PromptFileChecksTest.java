package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.cli.CliTest.Result;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt files are checked wherever they are read (init file, loadPrompt — what %loadPrompt calls —, eval,
 * export-peft, import-peft): width, finite values, and the embedding fingerprint of the model they were trained on,
 * which only {@code anyModel: true} / {@code --any-model} overrides. Each refusal is one line naming both models.
 */
class PromptFileChecksTest {

    @TempDir
    static Path tmp;
    static Path home;
    /** A record trained on 'tiny' (its prompt records tiny's fingerprint). */
    static Path record;
    /** A model of the same width as 'tiny' with other weights. */
    static Path other;

    @BeforeAll
    static void setUp() throws Exception {
        home = dev.prompttune.dsl.TestHomes.tiny();
        other = TinyWorld.model(tmp.resolve("other-tiny"), 2);
        Result r = cli("run", "-q", script("base", "promptTune { model 'tiny'; data 'markers'; length 4; steps 2; batch 8; "
                + "evalEvery 0; save '" + tmp.resolve("runs") + "' }").toString());
        assertEquals(0, r.status(), r.err());
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            record = s.findFirst().orElseThrow();
        }
    }

    static Result cli(String... args) {
        return CliTest.cli(home, args);
    }

    static Path script(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name + ".groovy"), text + "\n");
    }

    private static String tune(String model, String init, String save) {
        return "promptTune { model '" + model + "'; data 'markers'; length 4; steps 2; batch 8; evalEvery 0; init " + init
                + "; save '" + tmp.resolve(save) + "' }";
    }

    private static void refused(Result r, String... fragments) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(1, CliTest.withoutEngineLog(r.err()).size(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
        }
    }

    @Test
    void initFileFromAnotherModelIsRefusedNamingBothModelsUnlessAnyModel() throws Exception {
        String prompt = record.resolve("prompt.safetensors").toString();
        Result r = cli("run", "-q", script("foreign", tune(other.toString(), "file('" + prompt + "')", "foreign")).toString());
        refused(r, prompt, "trained on model " + home.resolve("models/tiny"), "used with model " + other, "anyModel: true");
        assertTrue(Files.notExists(tmp.resolve("foreign")), "refused before any record was made");

        Result ok = cli("run", "-q", script("foreign-ok", tune(other.toString(), "file('" + prompt + "', anyModel: true)", "foreign-ok")).toString());
        assertEquals(0, ok.status(), ok.err());
        try (Stream<Path> s = Files.list(tmp.resolve("foreign-ok"))) {
            Path spec = s.findFirst().orElseThrow().resolve("spec.json");
            assertTrue(Files.readString(spec).contains("\"anyModel\":true"), "the override is recorded");
        }
    }

    /** A sweep's second prompt file belongs to another model: refused by --check, on its line, before any point trains. */
    @Test
    void aSweepOverAnotherModelsPromptIsRefusedBeforeItsFirstPointTrains() throws Exception {
        String prompt = record.resolve("prompt.safetensors").toString();
        Path script = script("foreign-sweep", "sweep {\n  model '" + other + "'\n  data 'markers'\n  length 4\n"
                + "  init 'labels', file('" + prompt + "')\n  steps 2\n  batch 8\n  evalEvery 0\n  save '"
                + tmp.resolve("foreign-sweep-runs") + "'\n}");
        refused(cli("run", "--check", script.toString()), script + ":5: ", "trained on model " + home.resolve("models/tiny"),
                "used with model " + other);
        refused(cli("run", "-q", script.toString()), script + ":5: ", "used with model " + other);
        assertTrue(Files.notExists(tmp.resolve("foreign-sweep-runs")), "no point trained");
    }

    /** Two prompt files are two values of a sweep's init axis, each found again by the call that names it. */
    @Test
    void aSweepOverTwoPromptFilesTrainsEach() throws Exception {
        PromptFile.Loaded trained = PromptFile.load(record.resolve("prompt.safetensors"));
        Path copy = PromptFile.save(tmp.resolve("copies/again"), trained.values(), trained.length(), trained.width(),
                trained.metadata());
        String a = record.resolve("prompt.safetensors").toString();
        String b = copy.toString();
        Result r = cli("run", "-q", script("two-files", "def s = sweep { model 'tiny'; data 'markers'; length 4; steps 2; "
                + "batch 8; evalEvery 0; init file('" + a + "'), file('" + b + "'); save '" + tmp.resolve("two-files") + "' }\n"
                + "println 'names: ' + s.get(init: \"file('" + a + "')\").name() + ' ' + s.get(init: \"file('" + b + "')\").name()")
                .toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("names: markers-file-4-prompt.safetensors markers-file-4-again.safetensors"), r.out());
    }

    /** A PEFT adapter folder as init passes import-peft's checks of its config: a LoRA adapter is not a prompt. */
    @Test
    void anAdapterFolderAsInitIsCheckedAsImportPeftChecksIt() throws Exception {
        Path adapter = tmp.resolve("lora-adapter");
        PeftAdapter.exportTo(adapter, new float[4 * 32], 4, 32, "tiny", 4, 2);
        Path config = adapter.resolve(PeftAdapter.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"PROMPT_TUNING\"", "\"LORA\""));
        Path script = script("lora", "promptTune {\n  model 'tiny'\n  data 'markers'\n  length 4\n  init file('" + adapter
                + "')\n  steps 2\n}");
        refused(cli("run", "--check", script.toString()), script + ":5: ", "peft_type is \"LORA\"", "allowed: \"PROMPT_TUNING\"");
    }

    /** An adapter whose tensor holds integers: the advice names the allowed types, not a reader's method. */
    @Test
    void anIntegerAdapterTensorIsRefusedNamingTheFloatTypes() throws Exception {
        Path adapter = tmp.resolve("int-adapter");
        PeftAdapter.exportTo(adapter, new float[4 * 32], 4, 32, "tiny", 4, 2);
        Path weights = adapter.resolve(PeftAdapter.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        String latin = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = latin.indexOf("\"F32\"");
        assertTrue(at > 0, "the header names the tensor's dtype");
        bytes[at + 1] = 'I'; // "I32": same size, whole numbers
        Files.write(weights, bytes);
        Result r = cli("import-peft", adapter.toString(), "--out", tmp.resolve("int-imported/p").toString());
        refused(r, "'prompt_embeddings' is I32", "allowed: a float tensor");
        assertTrue(!r.err().contains("readLongs"), r.err());
    }

    @Test
    void aNanPromptIsRefusedAsInitBeforeTraining() throws Exception {
        float[] values = new float[4 * 32];
        values[37] = Float.NaN;
        Path nan = PromptFile.save(tmp.resolve("nan"), values, 4, 32, null);
        Result r = cli("run", "-q", script("nan", tune("tiny", "file('" + nan + "')", "nan-runs")).toString());
        refused(r, nan.toString(), "1 of 128 prompt values are not finite", "row 1, column 5", "allowed: finite numbers only");
        assertTrue(Files.notExists(tmp.resolve("nan-runs")));
    }

    @Test
    void exportPeftRefusesInfiniteValuesAndAnotherModelsPrompt() throws Exception {
        float[] values = new float[4 * 32];
        values[0] = Float.POSITIVE_INFINITY;
        Path inf = PromptFile.save(tmp.resolve("inf"), values, 4, 32, PromptMetadata.builder().baseModel("tiny").build());
        refused(cli("export-peft", inf.toString(), "--out", tmp.resolve("inf-adapter").toString()), "Infinity", "not finite");
        assertTrue(Files.notExists(tmp.resolve("inf-adapter")));

        String prompt = record.resolve("prompt.safetensors").toString();
        Path out = tmp.resolve("foreign-adapter");
        refused(cli("export-peft", prompt, "--model", other.toString(), "--out", out.toString()), "used with model " + other);
        Result ok = cli("export-peft", prompt, "--model", other.toString(), "--out", out.toString(), "--any-model");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.isRegularFile(out.resolve(PeftAdapter.WEIGHTS)));
    }

    @Test
    void importPeftRefusesNonFiniteValues() {
        float[] values = new float[4 * 32];
        Arrays.fill(values, 64, 96, Float.NaN);
        Path adapter = tmp.resolve("nan-adapter");
        PeftAdapter.exportTo(adapter, values, 4, 32, "tiny", 4, 2);
        Path out = tmp.resolve("imported/nan");
        refused(cli("import-peft", adapter.toString(), "--out", out.toString(), "--model", "tiny"),
                "32 of 128 prompt values are not finite", "row 2, column 0");
        assertTrue(Files.notExists(tmp.resolve("imported/nan.safetensors")));
    }

    /** The DSL's importPeft read an adapter holding NaN without a word, where import-peft refuses it: one check for both. */
    @Test
    void importPeftInAScriptRefusesNonFiniteValuesAsTheCommandDoes() throws Exception {
        float[] values = new float[4 * 32];
        values[7] = Float.NaN;
        Path adapter = tmp.resolve("nan-adapter-dsl");
        PeftAdapter.exportTo(adapter, values, 4, 32, "tiny", 4, 2);
        Path script = script("import-nan", "println 'before'\nimportPeft('" + adapter + "')");
        String said = "1 of 128 prompt values are not finite (the first, NaN, at row 0, column 7)";
        refused(cli("run", "--check", script.toString()), script + ":2: ", adapter.resolve(PeftAdapter.WEIGHTS).toString(), said);
        refused(cli("run", "-q", script.toString()), said);
        refused(cli("import-peft", adapter.toString(), "--out", tmp.resolve("imported/nan-dsl").toString()), said);
    }

    /**
     * A seq2seq adapter of 2 virtual tokens stores 4 rows; the last 2 never reach the encoder. init file(DIR) with
     * length 4 trained from them (and NaN there refused a sound adapter): its length is checked as import-peft reads it.
     */
    @Test
    void anAdapterAsInitHoldsItsVirtualTokensOnly() throws Exception {
        float[] stored = new float[4 * 32];
        Arrays.fill(stored, 64, 128, Float.NaN);
        Path adapter = tmp.resolve("nts2-adapter");
        PeftAdapter.exportTo(adapter, stored, 4, 32, "tiny", 4, 2);
        Path config = adapter.resolve(PeftAdapter.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"num_virtual_tokens\": 4", "\"num_virtual_tokens\": 2")
                .replace("\"num_transformer_submodules\": 1", "\"num_transformer_submodules\": 2"));
        Path script = script("nts2", "promptTune {\n  model 'tiny'\n  data 'markers'\n  length 4\n  init file('" + adapter
                + "')\n  steps 2\n  batch 8\n  evalEvery 0\n  save '" + tmp.resolve("nts2-runs") + "'\n}");
        String said = "init file " + adapter + ": the adapter holds 2 virtual tokens (num_virtual_tokens) but the prompt needs 4; "
                + "allowed: length 1 to 2";
        refused(cli("run", "--check", script.toString()), said);
        refused(cli("run", "-q", script.toString()), said);
        assertTrue(Files.notExists(tmp.resolve("nts2-runs")));
        Result ok = cli("run", "-q", Files.writeString(script, Files.readString(script).replace("length 4", "length 2")).toString());
        assertEquals(0, ok.status(), ok.err());
    }

    /** import-peft --out inside another adapter replaced that adapter's weights with a prompt file of another shape. */
    @Test
    void importPeftDoesNotWriteIntoAnAdapter() throws Exception {
        Path victim = tmp.resolve("victim-adapter");
        PeftAdapter.exportTo(victim, new float[4 * 32], 4, 32, "tiny", 4, 2);
        byte[] before = Files.readAllBytes(victim.resolve(PeftAdapter.WEIGHTS));
        Path source = tmp.resolve("source-adapter");
        PeftAdapter.exportTo(source, new float[2 * 32], 2, 32, "tiny", 4, 2);
        Path out = victim.resolve("adapter_model");
        refused(cli("import-peft", source.toString(), "--out", out.toString()), "import-peft: --out: " + out
                + " is inside PEFT adapter " + victim + ", whose files PEFT reads; allowed: a path outside run records and PEFT "
                + "adapters (e.g. saved/NAME)");
        assertTrue(Arrays.equals(before, Files.readAllBytes(victim.resolve(PeftAdapter.WEIGHTS))));
        assertTrue(Files.notExists(victim.resolve("adapter_model.json")));
    }

    /**
     * export-peft wrote only {"format": "pt"} into the adapter, so the prompt lost its model check: init file(ADAPTER)
     * trained on another model of the same width without a word. The adapter now keeps the fingerprint, and every
     * reader of it (init file, import-peft) checks it, overridable as for a prompt file.
     */
    @Test
    void anExportedAdapterKeepsItsModelCheck() throws Exception {
        Path adapter = tmp.resolve("exported-adapter");
        Result exported = cli("export-peft", record.toString(), "--out", adapter.toString());
        assertEquals(0, exported.status(), exported.err());
        String tinyFingerprint = PromptFile.load(record.resolve("prompt.safetensors")).metadata().embeddingFingerprint();
        assertEquals(tinyFingerprint, PeftAdapter.importFrom(adapter).recorded().embeddingFingerprint());

        Path script = script("adapter-other", "promptTune {\n  model '" + other + "'\n  data 'markers'\n  length 4\n  init file('"
                + adapter + "')\n  steps 2\n}");
        refused(cli("run", "--check", script.toString()), script + ":5: ", adapter.resolve(PeftAdapter.WEIGHTS).toString(),
                "trained on model " + home.resolve("models/tiny"), "used with model " + other, "anyModel: true");
        Files.writeString(script, Files.readString(script).replace("')\n", "', anyModel: true)\n"));
        Result any = cli("run", "--check", script.toString());
        assertEquals(0, any.status(), any.err());

        Path out = tmp.resolve("imported/for-other");
        refused(cli("import-peft", adapter.toString(), "--model", other.toString(), "--out", out.toString()),
                "used with model " + other, "--any-model");
        Result anyImport = cli("import-peft", adapter.toString(), "--model", other.toString(), "--out", out.toString(), "--any-model");
        assertEquals(0, anyImport.status(), anyImport.err());
        assertEquals(tinyFingerprint, PromptFile.load(out).metadata().embeddingFingerprint(), "keeps the model it was trained on");
    }

    /**
     * An adapter written elsewhere records no fingerprint: import-peft --model records that model's, so the prompt
     * file is checked from then on; a base_model_name_or_path naming another model is said in one warning.
     */
    @Test
    void aForeignAdapterIsImportedWithTheFingerprintOfItsModel() throws Exception {
        Path adapter = tmp.resolve("foreign-xl");
        PeftAdapter.exportTo(adapter, new float[4 * 32], 4, 32, "google/t5-v1_1-xl", 4, 2);
        Path out = tmp.resolve("imported/from-xl");
        Result r = cli("import-peft", adapter.toString(), "--model", "tiny", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        String warning = "PEFT adapter " + adapter + " was made for base model 'google/t5-v1_1-xl' (adapter_config.json "
                + "base_model_name_or_path) but is used with model tiny; it records no embedding fingerprint, so only its "
                + "width was checked";
        assertEquals(1, r.err().lines().filter(l -> l.contains("[WARN]") && l.contains(warning)).count(), r.err());
        String tinyFingerprint = PromptFile.load(record.resolve("prompt.safetensors")).metadata().embeddingFingerprint();
        assertEquals(tinyFingerprint, PromptFile.load(out).metadata().embeddingFingerprint());
        Path script = script("from-xl-other", "promptTune {\n  model '" + other + "'\n  data 'markers'\n  length 4\n  init file('"
                + out + ".safetensors')\n  steps 2\n}");
        refused(cli("run", "--check", script.toString()), script + ":5: ", "used with model " + other);

        // As init: said once, though the file is read by the script's check, before the run and by the run.
        Path asInit = tmp.resolve("foreign-xl-init");
        PeftAdapter.exportTo(asInit, new float[4 * 32], 4, 32, "google/t5-v1_1-xl", 4, 2);
        Result trained = cli("run", "-q", script("from-xl-init", tune("tiny", "file('" + asInit + "')", "from-xl-runs")).toString());
        assertEquals(0, trained.status(), trained.err());
        assertEquals(1, trained.err().lines().filter(l -> l.contains(warning.replace(adapter.toString(), asInit.toString())))
                .count(), trained.err());

        Path named = tmp.resolve("foreign-tiny");
        PeftAdapter.exportTo(named, new float[4 * 32], 4, 32, "tiny", 4, 2);
        Result quiet = cli("import-peft", named.toString(), "--model", "tiny", "--out", tmp.resolve("imported/from-tiny").toString());
        assertEquals(0, quiet.status(), quiet.err());
        assertTrue(!quiet.err().contains("[WARN]"), quiet.err());
    }

    /** A copy of the trained record whose spec.json now names the other model (same width, other weights). */
    private static Path recordOfChangedModel(String name) throws Exception {
        Path moved = tmp.resolve(name);
        Files.createDirectories(moved);
        try (Stream<Path> s = Files.list(record)) {
            for (Path f : s.toList()) {
                Files.copy(f, moved.resolve(f.getFileName()));
            }
        }
        Path spec = moved.resolve("spec.json");
        Files.writeString(spec, Files.readString(spec).replace("\"model\":\"tiny\"", "\"model\":\"" + other + "\""));
        assertTrue(Files.readString(spec).contains(other.toString()), Files.readString(spec));
        return moved;
    }

    /** A prompt.json edited by hand no longer says what the prompt is: eval says so once (the safetensors' copy is used). */
    @Test
    void aSidecarThatDisagreesWithThePromptIsNamedOnce() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("edited-sidecar"));
        try (Stream<Path> s = Files.list(record)) {
            for (Path f : s.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path sidecar = copy.resolve("prompt.json");
        Files.writeString(sidecar, Files.readString(sidecar).replaceFirst("\"width\": 32", "\"width\": 512"));
        Result r = cli("eval", copy.toString());
        assertEquals(0, r.status(), r.err());
        String warning = sidecar + ": it disagrees with the metadata inside " + copy.resolve("prompt.safetensors");
        assertEquals(1, r.err().lines().filter(l -> l.contains(warning)).count(), r.err());
        Result unchanged = cli("eval", record.toString());
        assertTrue(!unchanged.err().contains("disagrees"), unchanged.err());
    }

    /** A record whose model now has other weights: eval refuses it (both ways of scoring) unless --any-model. */
    @Test
    void evalRefusesAPromptWhoseModelChangedUnlessAnyModel() throws Exception {
        Path moved = recordOfChangedModel("moved-record");
        String dev = home.resolve("data/tasks/markers/dev.jsonl").toString();

        refused(cli("eval", moved.toString()), "trained on model " + home.resolve("models/tiny"), "--any-model");
        refused(cli("eval", moved.toString(), "--data", dev), "used with model " + other, "--any-model");
        for (List<String> args : List.of(List.of("eval", moved.toString(), "--any-model"),
                List.of("eval", moved.toString(), "--data", dev, "--any-model"))) {
            Result ok = cli(args.toArray(String[]::new));
            assertEquals(0, ok.status(), args + ": " + ok.err());
        }
    }

    /** The DSL's load('runs/x') reads a record's prompt too: a record whose model changed is refused unless anyModel. */
    @Test
    void loadOfARecordWhoseModelChangedIsRefusedUnlessAnyModel() throws Exception {
        Path moved = recordOfChangedModel("moved-record-for-load");

        refused(cli("run", "-q", script("load-record", "load('" + moved + "')").toString()),
                "trained on model " + home.resolve("models/tiny"), "anyModel: true");
        Result ok = cli("run", "-q", script("load-record-any", "load('" + moved + "', anyModel: true)").toString());
        assertEquals(0, ok.status(), ok.err());
        Result unchanged = cli("run", "-q", script("load-record-same", "load('" + record + "')").toString());
        assertEquals(0, unchanged.status(), unchanged.err());
    }

    /** What %loadPrompt calls: a prompt file that names a model whose weights are not the ones it was trained on. */
    @Test
    void loadPromptRefusesAPromptOfAnotherModelUnlessAnyModel() throws Exception {
        PromptFile.Loaded trained = PromptFile.load(record.resolve("prompt.safetensors"));
        PromptMetadata claims = trained.metadata().toBuilder().baseModel(other.toString()).build();
        Path file = PromptFile.save(tmp.resolve("claims-other"), trained.values(), trained.length(), trained.width(), claims);
        refused(cli("run", "-q", script("load", "loadPrompt('" + file + "')").toString()), file.toString(),
                "trained on model " + other + " when its embedding fingerprint was", "its weights have changed since", "--any-model");
        Result ok = cli("run", "-q", script("load-any", "loadPrompt('" + file + "', anyModel: true)").toString());
        assertEquals(0, ok.status(), ok.err());
    }

    /** Before: a prompt loaded with anyModel and saved again lost its fingerprint, and loaded anywhere unchecked. */
    @Test
    void aPromptSavedAgainKeepsTheFingerprintOfTheModelItWasTrainedOn() throws Exception {
        PromptFile.Loaded trained = PromptFile.load(record.resolve("prompt.safetensors"));
        PromptMetadata claims = trained.metadata().toBuilder().baseModel(other.toString()).build();
        Path file = PromptFile.save(tmp.resolve("claims-other-2"), trained.values(), trained.length(), trained.width(), claims);
        Path again = tmp.resolve("saved-again");
        Result saved = cli("run", "-q", script("resave", "def p = loadPrompt('" + file + "', anyModel: true)\n"
                + "savePrompt(p, '" + again + "')").toString());
        assertEquals(0, saved.status(), saved.err());
        PromptMetadata kept = PromptFile.load(again).metadata();
        assertEquals(claims.embeddingFingerprint(), kept.embeddingFingerprint());
        assertEquals(claims.task(), kept.task());
        refused(cli("run", "-q", script("load-again", "loadPrompt('" + again + "')").toString()), again + ".safetensors",
                "trained on model " + other + " when its embedding fingerprint was", "--any-model");
    }

    /** A PEFT prompt-tuning adapter always puts its prompt first: a suffix prompt would act elsewhere there. */
    @Test
    void exportPeftRefusesAPromptPlacedAnywhereButFirst() throws Exception {
        Result r = cli("run", "-q", script("suffix", "promptTune { model 'tiny'; data 'markers'; length 4; steps 2; batch 8; "
                + "evalEvery 0; placement 'suffix'; save '" + tmp.resolve("suffix-runs") + "' }").toString());
        assertEquals(0, r.status(), r.err());
        Path suffixRecord;
        try (Stream<Path> s = Files.list(tmp.resolve("suffix-runs"))) {
            suffixRecord = s.findFirst().orElseThrow();
        }
        refused(cli("export-peft", suffixRecord.toString(), "--out", tmp.resolve("suffix-adapter").toString()),
                "placement 'suffix'", "allowed: a prompt trained with placement 'prefix'");
        refused(cli("export-peft", suffixRecord.resolve("prompt.safetensors").toString(), "--out",
                tmp.resolve("suffix-adapter").toString()), "placement 'suffix'");
        assertTrue(Files.notExists(tmp.resolve("suffix-adapter")));
    }

    /** A failed run's record is usable, but loading it says that it failed (it loaded as if it had finished). */
    @Test
    void aFailedRunsRecordIsNamedAsFailedWhenLoaded() throws Exception {
        Path failed = tmp.resolve("failed-copy");
        Files.createDirectories(failed);
        try (Stream<Path> files = Files.list(record)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, failed.resolve(f.getFileName()));
                }
            }
        }
        Path summary = failed.resolve("summary.json");
        Files.writeString(summary, Files.readString(summary).replace("\"stop_reason\":\"COMPLETED\"", "\"stop_reason\":\"FAILED\""));
        assertTrue(Files.readString(summary).contains("\"stop_reason\":\"FAILED\""), Files.readString(summary));
        Result r = cli("run", "-q", script("load-failed", "loadPrompt('" + failed + "')").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains(failed + " is the record of a run that FAILED after 2 step(s)"), r.err());
    }

    /** savePrompt over a run record's own prompt replaced the run's result without a word. */
    @Test
    void aRunRecordsPromptIsNotWrittenOver() throws Exception {
        byte[] before = Files.readAllBytes(record.resolve("prompt.safetensors"));
        Result r = cli("run", "-q", script("over-record", "def p = loadPrompt('" + record + "')\n"
                + "savePrompt(p, '" + record.resolve("prompt") + "')").toString());
        refused(r, "savePrompt: " + record.resolve("prompt") + " is the prompt of run record " + record);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(record.resolve("prompt.safetensors"))));

        // import-peft --out wrote over it, dropping its task, template and labels.
        Path adapter = tmp.resolve("adapter-over-record");
        PeftAdapter.exportTo(adapter, new float[4 * 32], 4, 32, "tiny", 4, 2);
        Result imported = cli("import-peft", adapter.toString(), "--out", record.resolve("prompt").toString());
        assertEquals(2, imported.status(), imported.err());
        assertTrue(imported.err().contains("import-peft: --out: " + record.resolve("prompt") + " is the prompt of run record "
                + record), imported.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(record.resolve("prompt.safetensors"))));
    }
}
