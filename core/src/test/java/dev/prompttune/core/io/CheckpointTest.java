package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private final Map<String, float[]> tensors = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private void tensor(String name, long... shape) {
        int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        tensors.put(name, SafetensorsWriterTest.randomFloats(n, name.hashCode()));
        shapes.put(name, shape);
    }

    private void threeTensors() {
        tensor("shared.weight", 10, 4);
        tensor("encoder.block.0.layer.0.SelfAttention.q.weight", 4, 4);
        tensor("encoder.final_layer_norm.weight", 4);
    }

    @Test
    void opensFixtureDirectory() {
        try (Checkpoint c = Checkpoint.open(Fixtures.dir("tiny-t5-v1_1"))) {
            assertEquals(52, c.names().size());
            assertTrue(c.has("lm_head.weight"));
            assertFalse(c.has("encoder.embed_tokens.weight"));
            assertArrayEquals(new long[] {100, 32}, c.info("shared.weight").shape());
            assertEquals(-1.3964297771453857f, c.readFloats("shared.weight")[0]);
        }
    }

    /** The shape transformers writes for a large bf16 model: two shards and an index. */
    @Test
    void bf16TwoShardCheckpointLoads() throws IOException {
        threeTensors();
        Checkpoint.writeSharded(dir, tensors, shapes, "BF16", 2);
        assertTrue(Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
        assertTrue(Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        JsonObject index = JsonParser.parseString(Files.readString(dir.resolve(Checkpoint.INDEX_FILE)))
                .getAsJsonObject();
        assertEquals((40 + 16 + 4) * 2, index.getAsJsonObject("metadata").get("total_size").getAsLong());
        assertEquals("model-00002-of-00002.safetensors",
                index.getAsJsonObject("weight_map").get("encoder.final_layer_norm.weight").getAsString());

        try (Checkpoint c = Checkpoint.open(dir); NDManager m = NDManager.newBaseManager()) {
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(c.names()));
            for (String name : tensors.keySet()) {
                assertEquals("BF16", c.info(name).dtype());
                float[] original = tensors.get(name);
                float[] read = c.readFloats(name);
                for (int i = 0; i < original.length; i++) {
                    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])), read[i]);
                }
                NDArray a = c.load(name, m, DataType.FLOAT32);
                assertEquals(new Shape(shapes.get(name)), a.getShape());
                assertArrayEquals(read, a.toFloatArray());
            }
        }
    }

    @Test
    void oneShardIsPlainModelSafetensors() {
        threeTensors();
        Checkpoint.writeSharded(dir, tensors, shapes, "F32", 1);
        assertFalse(Files.exists(dir.resolve(Checkpoint.INDEX_FILE)));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertArrayEquals(tensors.get("shared.weight"), c.readFloats("shared.weight"));
            var e = assertThrows(PromptTuneException.class, () -> c.info("lm_head.weight"));
            assertTrue(e.getMessage().contains("no tensor named 'lm_head.weight'"), e.getMessage());
        }
    }

    @Test
    void noWeights() throws IOException {
        var e = assertThrows(PromptTuneException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().startsWith(dir + ": no weights found"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors and model.safetensors.index.json"), e.getMessage());
        assertFalse(e.getMessage().contains("pytorch_model.bin"), e.getMessage());

        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1});
        e = assertThrows(PromptTuneException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("pytorch_model.bin is present but not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
    }

    @Test
    void indexReferencingMissingShard() throws IOException {
        threeTensors();
        Checkpoint.writeSharded(dir, tensors, shapes, "F32", 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        var e = assertThrows(PromptTuneException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains(Checkpoint.INDEX_FILE), e.getMessage());
        assertTrue(e.getMessage().contains("references missing shard model-00002-of-00002.safetensors"),
                e.getMessage());
    }

    @Test
    void indexTensorNotInItsShard() throws IOException {
        threeTensors();
        Checkpoint.writeSharded(dir, tensors, shapes, "F32", 2);
        Path index = dir.resolve(Checkpoint.INDEX_FILE);
        Files.writeString(index, Files.readString(index).replace(
                "\"shared.weight\": \"model-00001", "\"shared.weight\": \"model-00002"));
        var e = assertThrows(PromptTuneException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("tensor 'shared.weight' is mapped to model-00002-of-00002.safetensors,"
                + " but that shard does not contain it"), e.getMessage());
    }

    @Test
    void shardOutsideTheDirectoryIsRejected() throws IOException {
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"w\": \"../model.safetensors\"}}");
        var e = assertThrows(PromptTuneException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("is not a file in"), e.getMessage());
    }
}
