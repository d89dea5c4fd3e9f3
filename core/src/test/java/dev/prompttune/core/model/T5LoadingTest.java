package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.Checkpoint;
import dev.prompttune.core.io.HalfFloats;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint layouts (sharded, bf16, fp16, aliases) and the one-line errors for bad model directories. */
class T5LoadingTest {

    private static final Path V1_1 = Fixtures.dir("tiny-t5-v1_1");

    @TempDir
    Path tmp;

    @Test
    void twoBf16ShardsLoadAsTheRoundedFp32Weights() throws IOException {
        Path dir = copyAs(V1_1, "BF16", 2, Map.of());
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        try (NDManager m = NDManager.newBaseManager();
             T5Model exact = T5Model.load(V1_1, m);
             T5Model bf16 = T5Model.load(dir, m)) {
            // Every weight is the fp32 original rounded to bf16, bit for bit.
            for (String name : exact.weights().all().keySet()) {
                float[] original = exact.weights().get(name).getArray().toFloatArray();
                float[] loaded = bf16.weights().get(name).getArray().toFloatArray();
                for (int i = 0; i < original.length; i++) {
                    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])), loaded[i], 0f, name + "[" + i + "]");
                }
            }
            // And the model's outputs stay within bf16 tolerance of the fp32 checkpoint's.
            float[] a = logits(exact, m);
            float[] b = logits(bf16, m);
            double scale = 0;
            double err = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                err = Math.max(err, Math.abs(a[i] - b[i]));
            }
            assertTrue(err > 0, "bf16 rounding must change something");
            assertTrue(err < 0.03 * scale, "bf16 logits error " + err + " vs logit scale " + scale);
        }
    }

    @Test
    void fp16CheckpointLoadsAsFloat32OrFloat16() throws IOException {
        Path dir = copyAs(V1_1, "F16", 1, Map.of());
        try (NDManager m = NDManager.newBaseManager();
             T5Model exact = T5Model.load(V1_1, m);
             T5Model half = T5Model.load(dir, m);
             T5Model halfActivations = T5Model.load(dir, m, DataType.FLOAT16)) {
            assertEquals(DataType.FLOAT16, halfActivations.embeddingTable().getDataType());
            float[] a = logits(exact, m);
            float[] b = logits(half, m);
            float[] c = logits(halfActivations, m);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 0.02 + 0.01 * Math.abs(a[i]), "fp16 weights, logit " + i);
                assertEquals(a[i], c[i], 0.1 + 0.02 * Math.abs(a[i]), "fp16 activations, logit " + i);
            }
        }
    }

    @Test
    void embeddingTableMayBeStoredAsEncoderEmbedTokens() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of("shared.weight", "encoder.embed_tokens.weight"));
        try (NDManager m = NDManager.newBaseManager();
             T5Model exact = T5Model.load(V1_1, m);
             T5Model aliased = T5Model.load(dir, m)) {
            assertArrayEquals(logits(exact, m), logits(aliased, m));
        }
    }

    @Test
    void unknownTensorsAreIgnored() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of());
        Map<String, float[]> extra = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        readAll(dir, extra, shapes, Map.of());
        extra.put("encoder.some_adapter.weight", new float[] {1, 2, 3});
        shapes.put("encoder.some_adapter.weight", new long[] {3});
        Files.delete(dir.resolve("model.safetensors"));
        Checkpoint.writeSharded(dir, extra, shapes, "F32", 1);
        try (NDManager m = NDManager.newBaseManager(); T5Model model = T5Model.load(dir, m)) {
            assertEquals(model.config().dModel, model.embeddingTable().getShape().get(1));
        }
    }

    @Test
    void directoryWithoutConfigIsRejected() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no config.json"), e.getMessage());
    }

    @Test
    void missingDirectoryIsRejected() {
        Path dir = tmp.resolve("nope");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void nonT5ArchitectureIsRejected() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of());
        Files.writeString(dir.resolve("config.json"),
                "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"], \"hidden_size\": 32}");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("'bert'")
                && e.getMessage().contains("T5"), e.getMessage());
    }

    @Test
    void corruptConfigIsRejected() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"t5\", ");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithConfigIsNamed() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of());
        String config = Files.readString(dir.resolve("config.json")).replace("\"d_ff\": 64", "\"d_ff\": 128");
        Files.writeString(dir.resolve("config.json"), config);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains("DenseReluDense.wi_0.weight") && e.getMessage().contains("[64, 32]")
                && e.getMessage().contains("[128, 32]") && e.getMessage().contains("d_ff 128"), e.getMessage());
    }

    @Test
    void missingWeightsAreNamed() throws IOException {
        Path dir = copyAs(V1_1, "F32", 1, Map.of("lm_head.weight", ""));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> load(dir));
        assertTrue(e.getMessage().contains("lacks 1 weight") && e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    private static void load(Path dir) {
        try (NDManager m = NDManager.newBaseManager(); T5Model model = T5Model.load(dir, m)) {
            model.config();
        }
    }

    /** Logits of the fixture batch. */
    private static float[] logits(T5Model model, NDManager parent) {
        try (NDManager m = parent.newSubManager();
             SafetensorsFile expected = SafetensorsFile.open(V1_1.resolve("expected.safetensors"))) {
            NDArray ids = expected.load("input_ids", m, DataType.INT64);
            NDArray mask = expected.load("attention_mask", m, DataType.INT64);
            NDArray labels = expected.load("labels", m, DataType.INT64);
            NDArray encoded = model.encode(model.embed(ids), mask, false);
            return model.logits(model.decode(model.shiftRight(labels), encoded, mask, false)).toFloatArray();
        }
    }

    /** Copies a checkpoint with weights re-encoded as dtype in n shards; renames (to "" = drop) applied. */
    private Path copyAs(Path source, String dtype, int shards, Map<String, String> renames) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "ckpt");
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        readAll(source, tensors, shapes, renames);
        Checkpoint.writeSharded(dir, tensors, shapes, dtype, shards);
        return dir;
    }

    private static void readAll(Path dir, Map<String, float[]> tensors, Map<String, long[]> shapes, Map<String, String> renames) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            for (String name : checkpoint.names()) {
                String target = renames.getOrDefault(name, name);
                if (target.isEmpty()) {
                    continue;
                }
                tensors.put(target, checkpoint.readFloats(name));
                shapes.put(target, checkpoint.info(name).shape());
            }
        }
    }
}
