package dev.prompttune.core.io;

/**
 * Conversions between {@code float} and the two 16-bit float formats found in checkpoints, on raw bits
 * ({@code short}) so that no 16-bit NDArray is ever needed.
 *
 * <ul>
 *   <li>bfloat16 ("BF16"): the top 16 bits of a float32 (8 exponent bits, 7 mantissa bits). DJL's PyTorch JNI
 *       aborts the process on BFLOAT16 NDArrays, so bf16 weights are widened to float here, in Java.</li>
 *   <li>IEEE binary16 ("F16"): 5 exponent bits, 10 mantissa bits, largest finite 65504, subnormals down to
 *       2^-24. Java 17 has no {@code Float.floatToFloat16} (added in Java 20), hence this class.</li>
 * </ul>
 *
 * Narrowing rounds to nearest, ties to even (what PyTorch and the reference safetensors writer do); NaN stays
 * NaN (quiet, sign kept), overflow becomes infinity.
 */
public final class HalfFloats {

    private HalfFloats() {}

    /** bf16 bits to float: exact, bf16 is a truncated float32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float to bf16 bits, round to nearest even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            // NaN: truncating could drop every payload bit and turn it into infinity; force the quiet bit.
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds ties to even; a carry into the exponent is the correct
        // result (including overflow of the largest finite values to infinity).
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** binary16 bits to float: exact, every half value is representable as a float. */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float arithmetic (power-of-two scale).
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13)); // inf, or NaN with its payload
        }
        // normal: re-bias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** float to binary16 bits, round to nearest even, with subnormals, infinities and NaN. */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs > 0x7F800000) {
            // NaN: keep the top payload bits and make sure it stays a (quiet) NaN.
            return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
        }
        if (abs >= 0x477FF000) {
            // >= 65520, the midpoint between 65504 (max half, odd mantissa) and 2^16: ties go up, to infinity.
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x38800000) {
            // below 2^-14 (smallest normal half): the result is subnormal or zero, in units of 2^-24.
            if (abs <= 0x33000000) {
                return (short) sign; // <= 2^-25: half an ulp or less rounds to (even) zero
            }
            int exponent = abs >>> 23;
            int mantissa = (abs & 0x7FFFFF) | 0x800000; // value = mantissa * 2^(exponent - 150)
            int shift = 126 - exponent; // 14..24: value / 2^-24 = mantissa >> shift
            int result = mantissa >>> shift;
            int remainder = mantissa & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (remainder > half || (remainder == half && (result & 1) == 1)) {
                result++; // may carry into 0x400, which is exactly the smallest normal: still correct
            }
            return (short) (sign | result);
        }
        // normal: drop 13 mantissa bits and re-bias the exponent from 127 to 15; a rounding carry into the
        // exponent is correct, and cannot reach infinity because of the cut-off above.
        int result = (abs >>> 13) - (112 << 10);
        int remainder = abs & 0x1FFF;
        if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1) == 1)) {
            result++;
        }
        return (short) (sign | result);
    }
}
