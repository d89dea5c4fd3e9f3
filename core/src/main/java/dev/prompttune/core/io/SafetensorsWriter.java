package dev.prompttune.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds a safetensors file from named tensors and writes it atomically: a temp file in the target's directory,
 * fsync, then rename over the target. Data is streamed tensor by tensor (lazy tensors are produced only while
 * writing), so a failure mid-write leaves the previous file intact and no temp file behind.
 *
 * <p>Arrays passed to {@code add} are not copied: do not modify them before {@link #write}.
 */
public final class SafetensorsWriter {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int BUFFER_BYTES = 1 << 20;

    /** One tensor to write; {@code data} yields float[] (float dtypes) or long[] (I64). */
    private record Entry(String name, Dtype dtype, long[] shape, long numel, Supplier<?> data) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** A float tensor stored as {@code dtype} F32, F16 or BF16 (16-bit: rounded to nearest even). */
    public SafetensorsWriter add(String name, float[] data, long[] shape, String dtype) {
        checkLength(name, data.length, shape);
        return addFloats(name, shape, dtype, () -> data);
    }

    /** An integer tensor stored as I64. */
    public SafetensorsWriter add(String name, long[] data, long[] shape) {
        checkLength(name, data.length, shape);
        return put(name, Dtype.I64, shape, () -> data);
    }

    /** An NDArray, copied to Java now: FLOAT32/FLOAT16 as F32/F16, INT64/INT32 as I64. */
    public SafetensorsWriter add(String name, NDArray array) {
        return switch (array.getDataType()) {
            case FLOAT32 -> add(name, array.toFloatArray(), array.getShape().getShape(), "F32");
            case FLOAT16 -> add(name, array, "F16");
            case INT64 -> add(name, array.toLongArray(), array.getShape().getShape());
            case INT32 -> {
                try (NDArray wide = array.toType(DataType.INT64, true)) {
                    yield add(name, wide.toLongArray(), array.getShape().getShape());
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + name + "': cannot write an NDArray of "
                    + array.getDataType() + " (FLOAT32, FLOAT16, INT64 or INT32)");
        };
    }

    /** A float NDArray (FLOAT32/FLOAT16/FLOAT64), copied to Java now, stored as {@code dtype} F32, F16 or BF16. */
    public SafetensorsWriter add(String name, NDArray array, String dtype) {
        DataType type = array.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("tensor '" + name + "': " + type + " is not a float NDArray");
        }
        float[] data;
        if (type == DataType.FLOAT32) {
            data = array.toFloatArray();
        } else {
            try (NDArray wide = array.toType(DataType.FLOAT32, true)) {
                data = wide.toFloatArray();
            }
        }
        return add(name, data, array.getShape().getShape(), dtype);
    }

    /**
     * A float tensor whose data is produced only while {@link #write} streams the file (and again on a second
     * write). The supplier's array must have {@code numel(shape)} elements.
     */
    public SafetensorsWriter addFloats(String name, long[] shape, String dtype, Supplier<float[]> data) {
        Dtype d = Dtype.parse(dtype);
        if (d != Dtype.F32 && d != Dtype.F16 && d != Dtype.BF16) {
            throw new IllegalArgumentException("tensor '" + name + "': float data is written as F32, F16 or BF16, not "
                    + dtype);
        }
        return put(name, d, shape, data);
    }

    /** A {@code __metadata__} entry, e.g. {@code format = pt}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter metadata(Map<String, String> values) {
        metadata.putAll(values);
        return this;
    }

    /** Writes the file atomically; throws {@link PromptTuneException} naming the file on I/O failure. */
    public void write(Path file) {
        List<Entry> dataOrder = new ArrayList<>(entries.values());
        // Larger elements first (stable), as the reference writer does, so every tensor starts aligned to its
        // element size (the header is padded to 8 bytes).
        dataOrder.sort(Comparator.comparingInt((Entry e) -> e.dtype.size).reversed());
        Map<String, long[]> offsets = new LinkedHashMap<>();
        long position = 0;
        for (Entry e : dataOrder) {
            long length = e.numel * e.dtype.size;
            offsets.put(e.name, new long[] {position, position + length});
            position += length;
        }
        byte[] header = header(offsets);
        try {
            AtomicFiles.write(file, channel -> {
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                AtomicFiles.writeFully(channel, prefix);
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : dataOrder) {
                    writeData(channel, e, buffer);
                }
            });
        } catch (IOException e) {
            throw new PromptTuneException(file + ": cannot write: " + PathProblems.describe(file, e), e);
        }
    }

    private SafetensorsWriter put(String name, Dtype dtype, long[] shape, Supplier<?> data) {
        if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("bad tensor name '" + name + "'");
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        entries.put(name, new Entry(name, dtype, shape.clone(), numel(name, shape), data));
        return this;
    }

    private byte[] header(Map<String, long[]> offsets) {
        JsonObject root = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            root.add(SafetensorsHeader.METADATA_KEY, meta);
        }
        for (Entry e : entries.values()) { // header in the order tensors were added
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype.name());
            t.add("shape", array(e.shape));
            t.add("data_offsets", array(offsets.get(e.name)));
            root.add(e.name, t);
        }
        byte[] json = GSON.toJson(root).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (still valid JSON) to a multiple of 8 bytes, as the reference writer does, so the data
        // section starts 8-byte aligned.
        byte[] bytes = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(bytes, json.length, bytes.length, (byte) ' ');
        return bytes;
    }

    private static void writeData(FileChannel channel, Entry e, ByteBuffer buffer) throws IOException {
        Object data = e.data.get();
        int length = data instanceof float[] f ? f.length : ((long[]) data).length;
        if (length != e.numel) {
            throw new IllegalStateException("tensor '" + e.name + "': supplier gave " + length
                    + " values, shape needs " + e.numel);
        }
        int perBuffer = BUFFER_BYTES / e.dtype.size;
        for (int start = 0; start < length; start += perBuffer) {
            int n = Math.min(perBuffer, length - start);
            buffer.clear();
            switch (e.dtype) {
                case F32 -> buffer.asFloatBuffer().put((float[]) data, start, n);
                case I64 -> buffer.asLongBuffer().put((long[]) data, start, n);
                case F16 -> {
                    float[] f = (float[]) data;
                    for (int i = 0; i < n; i++) {
                        buffer.putShort(2 * i, HalfFloats.floatToHalf(f[start + i]));
                    }
                }
                case BF16 -> {
                    float[] f = (float[]) data;
                    for (int i = 0; i < n; i++) {
                        buffer.putShort(2 * i, HalfFloats.floatToBf16(f[start + i]));
                    }
                }
                default -> throw new AssertionError(e.dtype);
            }
            buffer.limit(n * e.dtype.size);
            AtomicFiles.writeFully(channel, buffer);
        }
    }

    private static JsonArray array(long[] values) {
        JsonArray a = new JsonArray();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    private static long numel(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void checkLength(String name, int length, long[] shape) {
        long n = numel(name, shape);
        if (length != n) {
            throw new IllegalArgumentException("tensor '" + name + "': " + length + " values for shape "
                    + Arrays.toString(shape) + " (" + n + " elements)");
        }
    }
}
