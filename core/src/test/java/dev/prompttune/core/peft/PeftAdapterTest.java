package dev.prompttune.core.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import of the adapters PEFT itself wrote, export in PEFT's format, and the bad inputs. */
class PeftAdapterTest {

    @TempDir
    Path tmp;

    @Test
    void importsNts1AdapterAsIs() {
        Path dir = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts1");
        PeftAdapter a = PeftAdapter.importFrom(dir);
        assertEquals(5, a.length());
        assertEquals(32, a.width());
        assertEquals(1, a.submodules());
        assertEquals("tiny-t5-v1_1", a.baseModel());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(PeftAdapter.WEIGHTS))) {
            assertArrayEquals(f.readFloats(PeftAdapter.TENSOR), a.values());
        }
    }

    @Test
    void importsNts2AdapterKeepingTheFirstPRows() {
        Path dir = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts2");
        PeftAdapter a = PeftAdapter.importFrom(dir);
        assertEquals(5, a.length());
        assertEquals(2, a.submodules());
        assertEquals(10 * 32, a.stored().length);
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(PeftAdapter.WEIGHTS))) {
            assertArrayEquals(Arrays.copyOf(f.readFloats(PeftAdapter.TENSOR), 5 * 32), a.values());
        }
    }

    @Test
    void exportThenImportIsIdenticalAndHasPeftsKeys() throws IOException {
        float[] values = new float[7 * 16];
        Random r = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        Path out = tmp.resolve("adapter");
        PeftAdapter.exportTo(out, values, 7, 16, "google/t5-base-lm-adapt", 4, 2);
        PeftAdapter back = PeftAdapter.importFrom(out);
        assertEquals(7, back.length());
        assertEquals(16, back.width());
        assertEquals(1, back.submodules());
        assertArrayEquals(values, back.values());
        assertArrayEquals(values, back.stored());

        JsonObject fixture = json(Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts1").resolve(PeftAdapter.CONFIG));
        JsonObject written = json(out.resolve(PeftAdapter.CONFIG));
        assertEquals(fixture.keySet(), written.keySet(), "exported adapter_config.json must have PEFT's key set");
        assertEquals("PROMPT_TUNING", written.get("peft_type").getAsString());
        assertEquals("SEQ_2_SEQ_LM", written.get("task_type").getAsString());
        assertEquals(1, written.get("num_transformer_submodules").getAsInt());
        assertEquals(7, written.get("num_virtual_tokens").getAsInt());
        assertEquals(16, written.get("token_dim").getAsInt());
        assertTrue(written.get("prompt_tuning_init_text").isJsonNull());
        assertTrue(written.get("inference_mode").getAsBoolean());
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve(PeftAdapter.WEIGHTS))) {
            assertEquals("F32", f.info(PeftAdapter.TENSOR).dtype());
            assertArrayEquals(new long[] {7, 16}, f.info(PeftAdapter.TENSOR).shape());
            assertEquals("pt", f.metadata().get("format"));
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.count(), "no temp files left");
        }
    }

    /**
     * An exported adapter keeps the prompt's metadata (the fingerprint of the model it was trained on above all) in its
     * safetensors header, beside PEFT's "format": "pt"; reading it checks that fingerprint as a prompt file's is checked.
     */
    @Test
    void anExportedAdapterKeepsItsFingerprintAndIsCheckedByIt() throws IOException {
        Path out = tmp.resolve("fingerprinted");
        PromptMetadata meta = PromptMetadata.builder().baseModel("tiny").embeddingFingerprint("sha256:" + "a".repeat(64)).build();
        PeftAdapter.exportTo(out, new float[3 * 16], 3, 16, "tiny", 4, 2, meta);
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve(PeftAdapter.WEIGHTS))) {
            assertEquals("pt", f.metadata().get("format"));
            assertTrue(f.metadata().get(PromptFile.HEADER_KEY).contains(meta.embeddingFingerprint()), f.metadata().toString());
        }
        PeftAdapter back = PeftAdapter.importFrom(out);
        assertEquals(meta.embeddingFingerprint(), back.recorded().embeddingFingerprint());

        PromptCheck.Target same = new PromptCheck.Target("tiny", 16, () -> meta.embeddingFingerprint());
        PromptCheck.Target other = new PromptCheck.Target("other", 16, () -> "sha256:" + "b".repeat(64));
        assertEquals(3, back.check(same, false).length());
        String m = assertThrows(PromptTuneException.class, () -> back.check(other, false)).getMessage();
        assertTrue(m.startsWith(out.resolve(PeftAdapter.WEIGHTS) + ": the prompt was trained on model tiny (embedding "
                + "fingerprint sha256:aaaaaaaaaaaa…) but is being used with model other"), m);
        assertTrue(m.contains("anyModel: true"), m);
        assertEquals(3, back.check(other, true).length());
        assertNull(PeftAdapter.importFrom(copyOfFixture("foreign")).recorded(), "an adapter PEFT wrote records nothing");
    }

    /** A foreign adapter's base_model_name_or_path is compared with our model by name and by folder name. */
    @Test
    void aBaseModelNamesOurModelByNameOrFolderName() {
        assertTrue(PeftAdapter.sameModel("t5-mini", "t5-mini"));
        assertTrue(PeftAdapter.sameModel("google/t5-v1_1-small", "/home/me/models/t5-v1_1-small/"));
        assertTrue(PeftAdapter.sameModel("/data/t5-mini", "t5-mini"));
        assertFalse(PeftAdapter.sameModel("google/t5-v1_1-xl", "t5-mini"));
        assertFalse(PeftAdapter.sameModel("t5-mini", "/models/t5-mini-topics"));
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a"));
        assertTrue(message(dir).contains("adapter_config.json"), message(dir));
        Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"peft_type\": \"PROMPT_TUNING\"}");
        assertTrue(message(dir).contains("adapter_model.safetensors"), message(dir));
    }

    @Test
    void wrongPeftTypeIsRefused() throws IOException {
        Path dir = copyOfFixture("lora");
        rewriteConfig(dir, "\"PROMPT_TUNING\"", "\"LORA\"");
        String m = message(dir);
        assertTrue(m.contains("peft_type") && m.contains("LORA") && m.contains("PROMPT_TUNING"), m);
    }

    @Test
    void shapeMismatchIsRefused() throws IOException {
        Path dir = copyOfFixture("shape");
        rewriteConfig(dir, "\"num_virtual_tokens\": 5", "\"num_virtual_tokens\": 6");
        String m = message(dir);
        assertTrue(m.contains("[5, 32]") && m.contains("[6, 32]"), m);

        Path wide = copyOfFixture("wide");
        new SafetensorsWriter().add(PeftAdapter.TENSOR, new float[5 * 8], new long[] {5, 8}, "F32")
                .write(wide.resolve(PeftAdapter.WEIGHTS));
        assertTrue(message(wide).contains("[5, 8]"), message(wide));
    }

    @Test
    void aCountWrittenAsTextIsRefused() throws IOException {
        Path dir = copyOfFixture("quoted");
        rewriteConfig(dir, "\"num_virtual_tokens\": 5", "\"num_virtual_tokens\": \"5\"");
        assertEquals(dir.resolve(PeftAdapter.CONFIG) + ": num_virtual_tokens is \"5\"; allowed: an integer >= 1", message(dir));
    }

    @Test
    void missingSubmoduleCountIsInferredFromTheTensor() throws IOException {
        Path dir = tmp.resolve("nts2");
        Files.createDirectories(dir);
        Path src = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts2");
        Files.copy(src.resolve(PeftAdapter.WEIGHTS), dir.resolve(PeftAdapter.WEIGHTS));
        Files.writeString(dir.resolve(PeftAdapter.CONFIG), Files.readString(src.resolve(PeftAdapter.CONFIG))
                .replaceAll("\"num_transformer_submodules\": \\d+,", ""));
        PeftAdapter a = PeftAdapter.importFrom(dir);
        assertEquals(2, a.submodules());
        assertNull(a.config().get("num_transformer_submodules"));
    }

    private Path copyOfFixture(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path src = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts1");
        Files.copy(src.resolve(PeftAdapter.CONFIG), dir.resolve(PeftAdapter.CONFIG));
        Files.copy(src.resolve(PeftAdapter.WEIGHTS), dir.resolve(PeftAdapter.WEIGHTS));
        return dir;
    }

    private static void rewriteConfig(Path dir, String from, String to) throws IOException {
        Path c = dir.resolve(PeftAdapter.CONFIG);
        String text = Files.readString(c);
        assertTrue(text.contains(from), text);
        Files.writeString(c, text.replace(from, to));
    }

    private static String message(Path dir) {
        return assertThrows(PromptTuneException.class, () -> PeftAdapter.importFrom(dir)).getMessage();
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }
}
