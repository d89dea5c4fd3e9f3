package dev.prompttune.core.io;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Widens/narrows {@code count} elements of little-endian safetensors data ({@code src}, position 0, order set to
 * LITTLE_ENDIAN by the caller) into a destination buffer, appending at the destination's position. The
 * destination may be a heap array wrapper or a view of a direct native-order buffer headed for an NDArray.
 * One loop per dtype so that the JIT sees a tight loop, not a switch per element.
 */
final class Decode {

    private Decode() {}

    static void floats(ByteBuffer src, Dtype dtype, int count, FloatBuffer dst) {
        switch (dtype) {
            case F32 -> dst.put(src.asFloatBuffer().limit(count)); // bulk; byte-swaps only if orders differ
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(HalfFloats.halfToFloat(src.getShort(2 * i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(HalfFloats.bf16ToFloat(src.getShort(2 * i)));
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst.put((float) src.getDouble(8 * i));
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }

    /** To IEEE half bits; F16 is copied as is, the others are rounded to nearest even. */
    static void halves(ByteBuffer src, Dtype dtype, int count, ShortBuffer dst) {
        switch (dtype) {
            case F16 -> dst.put(src.asShortBuffer().limit(count));
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(HalfFloats.floatToHalf(HalfFloats.bf16ToFloat(src.getShort(2 * i))));
                }
            }
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(HalfFloats.floatToHalf(src.getFloat(4 * i)));
                }
            }
            case F64 -> {
                // via float: double rounding can differ from direct double->half in rare ties; weights stored
                // as F64 are not a case worth a second converter.
                for (int i = 0; i < count; i++) {
                    dst.put(HalfFloats.floatToHalf((float) src.getDouble(8 * i)));
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }

    static void longs(ByteBuffer src, Dtype dtype, int count, LongBuffer dst) {
        switch (dtype) {
            case I64 -> dst.put(src.asLongBuffer().limit(count));
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.getInt(4 * i));
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.getShort(2 * i));
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.get(i));
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.get(i) & 0xFF);
                }
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.get(i) != 0 ? 1 : 0);
                }
            }
            default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
        }
    }
}
