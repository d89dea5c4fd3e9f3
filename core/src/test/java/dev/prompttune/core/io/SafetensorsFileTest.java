package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the fixtures written by Hugging Face's own save_pretrained / safetensors. */
class SafetensorsFileTest {

    private static final Path MODEL = Fixtures.dir("tiny-t5-v1_1").resolve("model.safetensors");
    private static final Path EXPECTED = Fixtures.dir("tiny-t5-v1_1").resolve("expected.safetensors");

    @Test
    void readsModelHeader() {
        try (SafetensorsFile f = SafetensorsFile.open(MODEL)) {
            assertEquals(52, f.tensors().size());
            assertEquals("pt", f.metadata().get("format"));
            assertEquals("decoder.block.0.layer.0.SelfAttention.k.weight", f.tensors().keySet().iterator().next());
            TensorInfo shared = f.info("shared.weight");
            assertEquals("F32", shared.dtype());
            assertArrayEquals(new long[] {100, 32}, shared.shape());
            assertEquals(3200, shared.numel());
            long dataStart = 8 + 5712; // header length of this file
            assertEquals(dataStart + 211200, shared.begin()); // absolute offsets
            assertEquals(dataStart + 224000, shared.end());
            assertArrayEquals(new long[] {100, 32}, f.info("lm_head.weight").shape());
        }
    }

    @Test
    void readsModelFloats() {
        try (SafetensorsFile f = SafetensorsFile.open(MODEL)) {
            float[] shared = f.readFloats("shared.weight");
            assertEquals(3200, shared.length);
            assertEquals(-1.3964297771453857f, shared[0]);
            assertEquals(0.9074334502220154f, shared[1]);
            assertEquals(-0.9918636083602905f, shared[2]);
            assertEquals(1.1414930820465088f, shared[3]);
            for (float v : shared) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 100, "sane weight " + v);
            }
        }
    }

    @Test
    void readsExpectedLongs() {
        try (SafetensorsFile f = SafetensorsFile.open(EXPECTED)) {
            TensorInfo ids = f.info("input_ids");
            assertEquals("I64", ids.dtype());
            assertArrayEquals(new long[] {2, 9}, ids.shape());
            assertArrayEquals(new long[] {66, 9, 93, 54, 98, 29, 83, 77, 1, 4, 79, 10, 77, 96, 1, 0, 0, 0},
                    f.readLongs("input_ids"));
            assertArrayEquals(new long[] {1}, f.info("loss").shape());
            assertEquals(17.308094024658203f, f.readFloats("loss")[0]);
        }
    }

    @Test
    void wrongKindOrMissingNameIsRejected() {
        try (SafetensorsFile f = SafetensorsFile.open(EXPECTED); NDManager m = NDManager.newBaseManager()) {
            var e = assertThrows(PromptTuneException.class, () -> f.readLongs("loss"));
            assertTrue(e.getMessage().contains("'loss' is F32, use readFloats"), e.getMessage());
            e = assertThrows(PromptTuneException.class, () -> f.readFloats("input_ids"));
            assertTrue(e.getMessage().contains("use readLongs"), e.getMessage());
            e = assertThrows(PromptTuneException.class, () -> f.load("loss", m, DataType.INT64));
            assertTrue(e.getMessage().contains("cannot load tensor 'loss' (F32) as INT64"), e.getMessage());
            e = assertThrows(PromptTuneException.class, () -> f.load("input_ids", m, DataType.FLOAT32));
            assertTrue(e.getMessage().contains("integer tensors as INT64"), e.getMessage());
            e = assertThrows(PromptTuneException.class, () -> f.info("nope"));
            assertTrue(e.getMessage().contains("expected.safetensors: no tensor named 'nope'"), e.getMessage());
        }
    }

    @Test
    void loadsNDArrays() {
        try (SafetensorsFile f = SafetensorsFile.open(MODEL);
                SafetensorsFile e = SafetensorsFile.open(EXPECTED);
                NDManager m = NDManager.newBaseManager()) {
            NDArray shared = f.load("shared.weight", m, DataType.FLOAT32);
            assertEquals(new Shape(100, 32), shared.getShape());
            assertEquals(DataType.FLOAT32, shared.getDataType());
            assertEquals("shared.weight", shared.getName());
            assertArrayEquals(f.readFloats("shared.weight"), shared.toFloatArray());
            NDArray ids = e.load("input_ids", m, DataType.INT64);
            assertEquals(new Shape(2, 9), ids.getShape());
            assertArrayEquals(e.readLongs("input_ids"), ids.toLongArray());
            // FLOAT16 target from F32 data: rounded in Java, to nearest even
            NDArray half = f.load("lm_head.weight", m, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, half.getDataType());
            float[] expected = f.readFloats("lm_head.weight");
            float[] actual = half.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(expected[i])), actual[i]);
            }
        }
    }

    /** Tensors bigger than one staging/mapping chunk are loaded in parts: same values. */
    @Test
    void loadsInChunks() {
        int saved = SafetensorsFile.chunkBytes;
        try (SafetensorsFile f = SafetensorsFile.open(MODEL); NDManager m = NDManager.newBaseManager()) {
            float[] whole = f.readFloats("shared.weight");
            SafetensorsFile.chunkBytes = 1000; // not a multiple of the element size, on purpose
            assertArrayEquals(whole, f.readFloats("shared.weight"));
            for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
                NDArray a = f.load("shared.weight", m, type);
                assertEquals(new Shape(100, 32), a.getShape());
                float[] back = a.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < whole.length; i++) {
                    float want = type == DataType.FLOAT32 ? whole[i]
                            : HalfFloats.halfToFloat(HalfFloats.floatToHalf(whole[i]));
                    assertEquals(want, back[i], "element " + i + " as " + type);
                }
            }
        } finally {
            SafetensorsFile.chunkBytes = saved;
        }
    }

    /**
     * A sparse file whose second tensor starts past 2 GiB (offsets beyond int range; DJL's own reader fails
     * here), and whose first tensor is too big for a Java array.
     */
    @Test
    void readsPastTwoGibibytes(@TempDir Path dir) throws IOException {
        long pad = (1L << 31) + 8;
        String header = "{\"pad\": {\"dtype\": \"U8\", \"shape\": [" + pad + "], \"data_offsets\": [0, " + pad
                + "]}, \"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [" + pad + ", " + (pad + 8)
                + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
            ch.write(head.putLong(json.length).put(json).flip());
            ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3f);
            ch.write(data.flip(), 8 + json.length + pad); // leaves a hole: no disk space used
        }
        try (SafetensorsFile f = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            assertTrue(f.info("w").begin() > Integer.MAX_VALUE);
            assertArrayEquals(new float[] {1.5f, -3f}, f.readFloats("w"));
            assertArrayEquals(new float[] {1.5f, -3f}, f.load("w", m, DataType.FLOAT32).toFloatArray());
            var e = assertThrows(PromptTuneException.class, () -> f.readLongs("pad"));
            assertTrue(e.getMessage().contains("tensor 'pad' has 2147483656 elements, more than a Java array holds"),
                    e.getMessage());
        }
    }
}
