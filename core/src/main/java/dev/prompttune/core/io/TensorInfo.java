package dev.prompttune.core.io;

import java.util.Arrays;

/**
 * One tensor entry of a safetensors header.
 *
 * @param name   the tensor name, e.g. {@code shared.weight}
 * @param dtype  the dtype as written in the file: {@code F32}, {@code F16}, {@code BF16}, {@code I64}, ...
 * @param shape  the shape, e.g. {@code [100, 32]}; {@code []} for a scalar
 * @param begin  ABSOLUTE file offset of the first data byte (header offsets are relative to the data section;
 *               they are converted on reading so that callers never need the header length)
 * @param end    absolute file offset one past the last data byte
 */
public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone(); // records expose their components: keep the header's shape immutable
    }

    /** A copy of the shape, so callers cannot change this entry. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape (1 for a scalar). Validated not to overflow at open. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Whether the dtype holds floating-point numbers (F64, F32, F16, BF16): what a prompt or an embedding may be. */
    public boolean floating() {
        Dtype d = Dtype.parse(dtype);
        return d != null && d.floating;
    }

    /** Number of data bytes, {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @" + begin + ".." + end;
    }
}
