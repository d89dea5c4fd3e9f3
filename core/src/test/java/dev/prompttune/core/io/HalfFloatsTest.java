package dev.prompttune.core.io;

import static dev.prompttune.core.io.HalfFloats.bf16ToFloat;
import static dev.prompttune.core.io.HalfFloats.floatToBf16;
import static dev.prompttune.core.io.HalfFloats.floatToHalf;
import static dev.prompttune.core.io.HalfFloats.halfToFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    private static void assertHalf(int expectedBits, float value) {
        assertEquals(expectedBits, floatToHalf(value) & 0xFFFF, () -> "floatToHalf(" + value + ")");
    }

    private static void assertBf16(int expectedBits, float value) {
        assertEquals(expectedBits, floatToBf16(value) & 0xFFFF, () -> "floatToBf16(" + value + ")");
    }

    @Test
    void halfExactValues() {
        assertHalf(0x3C00, 1.0f);
        assertHalf(0xC100, -2.5f);
        assertHalf(0x7BFF, 65504f); // largest finite
        assertHalf(0x0001, 0x1p-24f); // smallest subnormal
        assertHalf(0x03FF, 1023 * 0x1p-24f); // largest subnormal
        assertHalf(0x0400, 0x1p-14f); // smallest normal
        assertHalf(0x0000, 0f);
        assertHalf(0x8000, -0f);
        assertHalf(0x7C00, Float.POSITIVE_INFINITY);
        assertHalf(0xFC00, Float.NEGATIVE_INFINITY);
        assertEquals(1.0f, halfToFloat((short) 0x3C00));
        assertEquals(-2.5f, halfToFloat((short) 0xC100));
        assertEquals(65504f, halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, halfToFloat((short) 0x0001));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(halfToFloat((short) 0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(halfToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(halfToFloat(floatToHalf(Float.NaN))));
        // a NaN whose payload sits only in the low bits must not become infinity
        assertTrue(Float.isNaN(halfToFloat(floatToHalf(Float.intBitsToFloat(0x7F800001)))));
    }

    @Test
    void halfRoundsTiesToEven() {
        float ulpAtOne = 0x1p-10f;
        assertHalf(0x3C00, 1 + ulpAtOne / 2); // tie between 0x3C00 (even) and 0x3C01: down
        assertHalf(0x3C02, 1 + 3 * ulpAtOne / 2); // tie between 0x3C01 and 0x3C02 (even): up
        assertHalf(0x3C01, Math.nextUp(1 + ulpAtOne / 2)); // just above a tie: up
        assertHalf(0x7BFF, 65519.996f); // below the midpoint to 2^16: stays finite
        assertHalf(0x7C00, 65520f); // midpoint, 65504 is odd: rounds to infinity
        assertHalf(0x7C00, 1e6f);
        assertHalf(0x0000, 0x1p-25f); // tie between 0 (even) and the smallest subnormal
        assertHalf(0x0001, Math.nextUp(0x1p-25f));
        assertHalf(0x0002, 3 * 0x1p-25f); // tie between subnormals 1 and 2 (even): up
        assertHalf(0x0400, Math.nextDown(0x1p-14f)); // the largest subnormal rounds up into the normals
    }

    @Test
    void bf16ExactValues() {
        assertBf16(0x3F80, 1.0f);
        assertBf16(0xC020, -2.5f);
        assertBf16(0x4780, 65536f);
        assertBf16(0x0001, Float.intBitsToFloat(0x00010000)); // smallest bf16 subnormal
        assertBf16(0x7F80, Float.POSITIVE_INFINITY);
        assertBf16(0x7F80, Float.MAX_VALUE); // rounds up past the largest bf16
        assertEquals(-2.5f, bf16ToFloat((short) 0xC020));
        assertEquals(Float.NEGATIVE_INFINITY, bf16ToFloat((short) 0xFF80));
        assertTrue(Float.isNaN(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0x7F800001)))));
        assertBf16(0x3F80, Float.intBitsToFloat(0x3F808000)); // tie, even down
        assertBf16(0x3F82, Float.intBitsToFloat(0x3F818000)); // tie, even up
        assertBf16(0x3F81, Float.intBitsToFloat(0x3F808001)); // above tie
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            float f = halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(halfToFloat(floatToHalf(f))));
            } else {
                assertEquals(h, floatToHalf(f) & 0xFFFF, "half bits " + Integer.toHexString(h));
            }
        }
    }

    /** Random floats against a brute-force reference: the nearest representable value, ties to even bits. */
    @Test
    void randomFloatsMatchNearestEven() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(referenceHalf(f), floatToHalf(f) & 0xFFFF, "half of " + f);
            assertEquals(referenceBf16(f), floatToBf16(f) & 0xFFFF, "bf16 of " + f);
            float small = (random.nextFloat() - 0.5f) * 0x1p-12f; // dense in the half subnormal range
            assertEquals(referenceHalf(small), floatToHalf(small) & 0xFFFF, "half of " + small);
        }
    }

    private static int referenceHalf(float f) {
        int sign = f < 0 || Float.floatToRawIntBits(f) < 0 ? 0x8000 : 0;
        double a = Math.abs((double) f);
        if (a >= 65520) {
            return sign | 0x7C00;
        }
        // candidates: the largest half magnitude <= a, and the next one
        int lo = 0;
        int hi = 0x7BFF;
        while (lo < hi) { // binary search on the monotone positive half bit patterns
            int mid = (lo + hi + 1) >>> 1;
            if (halfToFloat((short) mid) <= a) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return sign | nearest(a, lo, halfToFloat((short) lo), halfToFloat((short) (lo + 1)));
    }

    private static int referenceBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            return sign | (abs >>> 16);
        }
        int lo = abs >>> 16;
        double hiValue = lo + 1 == 0x7F80 ? Math.pow(2, 128) : bf16ToFloat((short) (lo + 1));
        return sign | nearest(Math.abs((double) f), lo, bf16ToFloat((short) lo), hiValue);
    }

    private static int nearest(double a, int lo, double loValue, double hiValue) {
        double down = a - loValue;
        double up = hiValue - a;
        if (down < up || (down == up && (lo & 1) == 0)) {
            return lo;
        }
        return lo + 1;
    }
}
