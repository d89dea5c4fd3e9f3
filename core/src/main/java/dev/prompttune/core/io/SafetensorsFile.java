package dev.prompttune.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face safetensors file, read in Java: 8-byte little-endian header length N, N bytes of JSON header,
 * then little-endian data. The header is read and validated at {@link #open}; tensor data is memory-mapped region
 * by region on demand, so files (and tensors) larger than 2 GiB work.
 *
 * <p>Why not DJL's own reader: it cannot read files over 2 GiB, and bf16 must never become an NDArray (DJL's
 * PyTorch JNI aborts the process on BFLOAT16), so 16-bit data is converted in Java.
 *
 * <p>Thread-safe for reads; {@link #close} releases the file (already loaded tensors stay valid).
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation refuses headers over 100 MB; so do we, before allocating anything. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * Largest piece mapped or staged at once (bytes). Bounds the direct memory a load needs; tensors larger than
     * this are loaded in parts and concatenated. Not final so that tests can exercise the multi-part path.
     */
    static int chunkBytes = 256 << 20;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    /** Opens and validates {@code file}; throws {@link PromptTuneException} naming the file and the problem. */
    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw SafetensorsHeader.bad(file, "file not found");
        } catch (IOException e) {
            throw SafetensorsHeader.bad(file, "cannot open: " + PathProblems.describe(file, e));
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw SafetensorsHeader.bad(file, "not a safetensors file: " + size
                        + " bytes, shorter than the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            // Unsigned u64 in the file: a negative long is >= 2^63, certainly larger than the file.
            if (headerLength < 0 || headerLength > size - 8) {
                throw SafetensorsHeader.bad(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is larger than the file (" + size + " bytes): truncated or not a safetensors file");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw SafetensorsHeader.bad(file, "header length " + headerLength + " is over the "
                        + MAX_HEADER_BYTES + "-byte limit: not a safetensors file");
            }
            ByteBuffer json = readFully(channel, 8, (int) headerLength);
            String text;
            try {
                // Strict: a lenient decoder turns bad bytes into U+FFFD, and a damaged name or metadata passes unseen.
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(json).toString();
            } catch (CharacterCodingException e) {
                throw SafetensorsHeader.bad(file, "the header is not UTF-8 text; allowed: a UTF-8 JSON header");
            }
            SafetensorsHeader header = SafetensorsHeader.parse(file, text, 8 + headerLength, size);
            return new SafetensorsFile(file, channel, header);
        } catch (IOException e) {
            closeQuietly(channel);
            throw SafetensorsHeader.bad(file, "cannot read: " + PathProblems.describe(file, e));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** All tensors, in header order; unmodifiable. */
    public Map<String, TensorInfo> tensors() {
        return header.tensors;
    }

    /** The {@code __metadata__} block (e.g. {@code {"format": "pt"}}), empty if absent; unmodifiable. */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** The entry for {@code name}; throws if the file has no such tensor. */
    public TensorInfo info(String name) {
        TensorInfo t = header.tensors.get(name);
        if (t == null) {
            throw SafetensorsHeader.bad(path, "no tensor named '" + name + "' (the file has "
                    + header.tensors.size() + " tensors)");
        }
        return t;
    }

    /** A float tensor (F32, F16, BF16, F64) as float32 values, row-major, length {@code numel}. */
    public float[] readFloats(String name) {
        TensorInfo t = info(name);
        Dtype dtype = requireKind(t, true, "readFloats", "readLongs");
        float[] out = new float[javaArrayLength(t)];
        FloatBuffer dst = FloatBuffer.wrap(out);
        forEachChunk(t, dtype, 0, out.length, (src, count) -> Decode.floats(src, dtype, count, dst));
        return out;
    }

    /** An integer tensor (I64, I32, I16, I8, U8, BOOL as 0/1) as longs, row-major, length {@code numel}. */
    public long[] readLongs(String name) {
        TensorInfo t = info(name);
        Dtype dtype = requireKind(t, false, "readLongs", "readFloats");
        long[] out = new long[javaArrayLength(t)];
        LongBuffer dst = LongBuffer.wrap(out);
        forEachChunk(t, dtype, 0, out.length, (src, count) -> Decode.longs(src, dtype, count, dst));
        return out;
    }

    /**
     * Loads a tensor as an NDArray of the header's shape, attached to {@code manager}.
     *
     * @param target FLOAT32 or FLOAT16 for float tensors (bf16 is widened in Java, never a BFLOAT16 NDArray);
     *               INT64 for integer tensors
     */
    public NDArray load(String name, NDManager manager, DataType target) {
        TensorInfo t = info(name);
        Dtype dtype = Dtype.parse(t.dtype());
        boolean ok = dtype.floating
                ? target == DataType.FLOAT32 || target == DataType.FLOAT16
                : target == DataType.INT64;
        if (!ok) {
            throw SafetensorsHeader.bad(path, "cannot load tensor '" + name + "' (" + t.dtype() + ") as "
                    + target.name() + ": float tensors load as FLOAT32 or FLOAT16, integer tensors as INT64");
        }
        Shape shape = new Shape(t.shape());
        long numel = t.numel();
        if (numel == 0) {
            NDArray empty = manager.zeros(shape, target);
            empty.setName(name);
            return empty;
        }
        // Staging: a direct native-order buffer per part. DJL (PtNDManager.create) wraps a direct ByteBuffer
        // zero-copy (torch::from_blob) and keeps it referenced for the NDArray's life, so the weights would sit in
        // Java direct memory (capped by -XX:MaxDirectMemorySize, freed only by GC). We clone into torch-owned memory
        // instead and drop the staging buffer: one memcpy, bounded direct memory.
        int elementBytes = target.getNumOfBytes();
        long perPart = Math.max(1, chunkBytes / elementBytes);
        List<NDArray> temporaries = new ArrayList<>();
        try {
            NDList parts = new NDList();
            for (long first = 0; first < numel; first += perPart) {
                int count = (int) Math.min(perPart, numel - first);
                ByteBuffer staging = ByteBuffer.allocateDirect(count * elementBytes).order(ByteOrder.nativeOrder());
                fill(t, dtype, first, count, target, staging);
                NDArray part = manager.create(staging, new Shape(count), target);
                temporaries.add(part);
                parts.add(part);
            }
            NDArray flat;
            if (parts.size() > 1) {
                flat = NDArrays.concat(parts); // torch.cat allocates torch-owned memory
            } else if (!manager.getDevice().isGpu()) {
                flat = parts.get(0).duplicate();
            } else {
                flat = parts.get(0); // on GPU, DJL already copied to device memory and holds no Java buffer
            }
            if (flat != parts.get(0)) {
                temporaries.add(flat);
            }
            NDArray result = flat.reshape(shape); // a view: shares the torch storage, survives closing `flat`
            result.setName(name);
            return result;
        } finally {
            temporaries.forEach(NDArray::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsFile(" + path + ", " + header.tensors.size() + " tensors)";
    }

    private void fill(TensorInfo t, Dtype dtype, long first, int count, DataType target, ByteBuffer staging) {
        switch (target) {
            case FLOAT32 -> {
                FloatBuffer dst = staging.asFloatBuffer();
                forEachChunk(t, dtype, first, count, (src, n) -> Decode.floats(src, dtype, n, dst));
            }
            case FLOAT16 -> {
                var dst = staging.asShortBuffer();
                forEachChunk(t, dtype, first, count, (src, n) -> Decode.halves(src, dtype, n, dst));
            }
            case INT64 -> {
                LongBuffer dst = staging.asLongBuffer();
                forEachChunk(t, dtype, first, count, (src, n) -> Decode.longs(src, dtype, n, dst));
            }
            default -> throw new IllegalArgumentException(target.toString());
        }
    }

    /** Receives a little-endian mapped piece of a tensor, position 0, holding {@code count} elements. */
    private interface Chunk {
        void accept(ByteBuffer src, int count);
    }

    /** Maps elements [first, first + count) of {@code t} in pieces of at most {@link #chunkBytes}, in order. */
    private void forEachChunk(TensorInfo t, Dtype dtype, long first, long count, Chunk chunk) {
        long perChunk = Math.max(1, chunkBytes / dtype.size);
        try {
            for (long done = 0; done < count; ) {
                int n = (int) Math.min(perChunk, count - done);
                long position = t.begin() + (first + done) * dtype.size;
                ByteBuffer src = channel.map(FileChannel.MapMode.READ_ONLY, position, (long) n * dtype.size);
                chunk.accept(src.order(ByteOrder.LITTLE_ENDIAN), n);
                done += n;
            }
        } catch (IOException e) {
            throw SafetensorsHeader.bad(path, "cannot read tensor '" + t.name() + "': " + PathProblems.describe(path, e));
        }
    }

    private Dtype requireKind(TensorInfo t, boolean floating, String method, String other) {
        Dtype dtype = Dtype.parse(t.dtype());
        if (dtype.floating != floating) {
            throw SafetensorsHeader.bad(path, method + ": tensor '" + t.name() + "' is " + t.dtype() + ", use "
                    + other);
        }
        return dtype;
    }

    private int javaArrayLength(TensorInfo t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) { // the largest array a JVM allocates
            throw SafetensorsHeader.bad(path, "tensor '" + t.name() + "' has " + n
                    + " elements, more than a Java array holds; load it as an NDArray instead");
        }
        return (int) n;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buf.flip();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
