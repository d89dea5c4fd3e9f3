package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    static float[] randomFloats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * 3);
        }
        out[0] = 1.0f;
        out[1] = -2.5f;
        return out;
    }

    @Test
    void roundTripsEveryDtype() throws IOException {
        float[] f = randomFloats(24, 1);
        long[] ids = {0, 1, -100, Long.MAX_VALUE, Long.MIN_VALUE, 42};
        Path file = dir.resolve("all.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("f16", f, new long[] {2, 3, 4}, "F16") // added first, stored after the 4/8-byte ones
                .add("f32", f, new long[] {4, 6}, "F32")
                .add("bf16", f, new long[] {24}, "BF16")
                .add("ids", ids, new long[] {2, 3})
                .add("scalar", new float[] {3.5f}, new long[] {}, "F32")
                .add("empty", new float[0], new long[] {0, 5}, "F32")
                .write(file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        try (SafetensorsFile r = SafetensorsFile.open(file)) {
            assertEquals(List.of("f16", "f32", "bf16", "ids", "scalar", "empty"), List.copyOf(r.tensors().keySet()));
            assertEquals("pt", r.metadata().get("format"));
            for (TensorInfo t : r.tensors().values()) {
                int size = Dtype.parse(t.dtype()).size;
                assertEquals(0, t.begin() % size, t + " aligned to its element size");
            }
            assertArrayEquals(f, r.readFloats("f32"));
            assertArrayEquals(new long[] {2, 3, 4}, r.info("f16").shape());
            float[] half = r.readFloats("f16");
            float[] bf16 = r.readFloats("bf16");
            for (int i = 0; i < f.length; i++) {
                assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f[i])), half[i]);
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f[i])), bf16[i]);
            }
            assertEquals(1.0f, bf16[0]);
            assertEquals(-2.5f, bf16[1]);
            assertArrayEquals(ids, r.readLongs("ids"));
            assertArrayEquals(new long[0], r.info("scalar").shape());
            assertArrayEquals(new float[] {3.5f}, r.readFloats("scalar"));
            assertEquals(0, r.readFloats("empty").length);
        }
    }

    /** The NDArray path: BF16 data to FLOAT32 equals readFloats; FLOAT16 target; NDArrays written back. */
    @Test
    void ndArraysFromBf16AndBack() {
        float[] f = randomFloats(60, 2);
        Path file = dir.resolve("bf16.safetensors");
        new SafetensorsWriter().add("w", f, new long[] {3, 4, 5}, "BF16").write(file);
        try (SafetensorsFile r = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            float[] widened = r.readFloats("w");
            NDArray fp32 = r.load("w", m, DataType.FLOAT32);
            assertEquals(new Shape(3, 4, 5), fp32.getShape());
            assertArrayEquals(widened, fp32.toFloatArray());
            NDArray fp16 = r.load("w", m, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, fp16.getDataType());
            float[] back = fp16.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(widened[i])), back[i]);
            }

            Path copy = dir.resolve("copy.safetensors");
            new SafetensorsWriter()
                    .add("fp32", fp32)
                    .add("fp16", fp16)
                    .add("bf16", fp32, "BF16")
                    .add("ids", m.create(new long[] {7, 8, 9}, new Shape(3, 1)))
                    .write(copy);
            try (SafetensorsFile c = SafetensorsFile.open(copy)) {
                assertEquals("F16", c.info("fp16").dtype());
                assertArrayEquals(widened, c.readFloats("fp32"));
                assertArrayEquals(widened, c.readFloats("bf16")); // already bf16 values: exact
                assertArrayEquals(back, c.readFloats("fp16"));
                assertArrayEquals(new long[] {3, 1}, c.info("ids").shape());
                assertArrayEquals(new long[] {7, 8, 9}, c.readLongs("ids"));
            }
        }
    }

    @Test
    void rejectsBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[2], new long[] {2}, "F32");
        assertThrows(IllegalArgumentException.class, () -> w.add("a", new float[2], new long[] {2}, "F32"));
        assertThrows(IllegalArgumentException.class, () -> w.add("b", new float[3], new long[] {2}, "F32"));
        assertThrows(IllegalArgumentException.class, () -> w.add("c", new float[2], new long[] {2}, "I64"));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new long[1], new long[] {1}));
    }

    /** A failure mid-stream (after the temp file exists) leaves the old file byte-identical and no temp file. */
    @Test
    void failedWriteKeepsOldFileAndLeavesNoTemp() throws IOException {
        Path file = dir.resolve("prompt.safetensors");
        new SafetensorsWriter().add("p", randomFloats(10, 3), new long[] {2, 5}, "F32").write(file);
        byte[] before = Files.readAllBytes(file);

        boolean[] sawTemp = {false};
        SafetensorsWriter failing = new SafetensorsWriter()
                .add("first", randomFloats(100_000, 4), new long[] {100_000}, "F32") // written before the failure
                .addFloats("second", new long[] {4}, "F32", () -> {
                    sawTemp[0] = listing().size() == 2; // the temp file is there, partly written
                    throw new IllegalStateException("boom");
                });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.write(file));
        assertEquals("boom", e.getMessage());
        assertTrue(sawTemp[0], "the supplier ran while the temp file existed");
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing());

        // a good write replaces the file and also leaves nothing else behind
        new SafetensorsWriter().add("q", new long[] {1}, new long[] {1}).write(file);
        assertEquals(List.of(file), listing());
        try (SafetensorsFile r = SafetensorsFile.open(file)) {
            assertSame(1, r.tensors().size());
        }
    }

    private List<Path> listing() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A write that cannot happen names the path at fault in words, not an exception class. */
    @Test
    void aFolderThatCannotBeMadeIsNamedInWords() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path target = file.resolve("sub").resolve("p.safetensors");
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> new SafetensorsWriter().add("w", new float[] {1f}, new long[] {1}, "F32").write(target));
        assertEquals(target + ": cannot write: " + file + " is a file, not a folder", e.getMessage());
    }
}
