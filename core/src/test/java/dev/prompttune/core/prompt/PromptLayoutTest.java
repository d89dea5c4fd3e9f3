package dev.prompttune.core.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placement of prompt vectors among token embeddings, row by row, and the extended mask. */
class PromptLayoutTest {

    /** Tokens: row b position t has value 100·b + t + 1 (real) or −1 (pad); prompt i position j has −(10·i + j + 10). */
    private static float[] layout(Placement placement, List<float[]> promptRows, int[] assignment, long[] outMask) {
        try (NDManager m = NDManager.newBaseManager()) {
            int rows = 2;
            int length = 4;
            long[] lengths = {4, 2};
            float[] tokens = new float[rows * length];
            long[] mask = new long[rows * length];
            for (int b = 0; b < rows; b++) {
                for (int t = 0; t < length; t++) {
                    boolean real = t < lengths[b];
                    tokens[b * length + t] = real ? 100 * b + t + 1 : -1;
                    mask[b * length + t] = real ? 1 : 0;
                }
            }
            NDArray tokenArray = m.create(tokens, new Shape(rows, length, 1));
            List<NDArray> prompts = promptRows.stream().map(p -> m.create(p, new Shape(p.length, 1))).toList();
            PromptLayout.Combined c = PromptLayout.combine(tokenArray, m.create(mask, new Shape(rows, length)), prompts,
                    assignment, placement);
            long[] got = c.mask().toType(DataType.INT64, false).toLongArray();
            System.arraycopy(got, 0, outMask, 0, Math.min(got.length, outMask.length));
            assertEquals(outMask.length, got.length, "mask size");
            return c.embeddings().toFloatArray();
        }
    }

    @Test
    void prefixPutsThePromptFirstAndExtendsTheMask() {
        long[] mask = new long[2 * 6];
        float[] e = layout(Placement.PREFIX, List.of(new float[] {-10, -11}), new int[] {0, 0}, mask);
        assertArrayEquals(new float[] {-10, -11, 1, 2, 3, 4, -10, -11, 101, 102, -1, -1}, e);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, mask);
    }

    @Test
    void suffixFollowsEachRowsRealTokens() {
        long[] mask = new long[2 * 6];
        float[] e = layout(Placement.SUFFIX, List.of(new float[] {-10, -11}), new int[] {0, 0}, mask);
        assertArrayEquals(new float[] {1, 2, 3, 4, -10, -11, 101, 102, -10, -11, -1, -1}, e);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, mask);
    }

    @Test
    void afterFirstTokenKeepsTheFirstTokenInFront() {
        long[] mask = new long[2 * 6];
        float[] e = layout(Placement.AFTER_FIRST, List.of(new float[] {-10, -11}), new int[] {0, 0}, mask);
        assertArrayEquals(new float[] {1, -10, -11, 2, 3, 4, 101, -10, -11, 102, -1, -1}, e);
    }

    @Test
    void rowsMayCarryDifferentPromptsOfDifferentLengths() {
        // Row 0 gets prompt 1 (one vector) + 4 tokens, row 1 prompt 0 (three vectors) + 2 tokens: both 5 long.
        long[] mask = new long[2 * 5];
        float[] e = layout(Placement.PREFIX, List.of(new float[] {-10, -11, -12}, new float[] {-20}), new int[] {1, 0}, mask);
        assertArrayEquals(new float[] {-20, 1, 2, 3, 4, -10, -11, -12, 101, 102}, e);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, mask);
    }

    /** An unknown placement names the allowed ones as a plain list, as every other message does (not "[a, b]"). */
    @Test
    void anUnknownPlacementListsTheAllowedOnes() {
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.prompttune.core.PromptTuneException.class,
                () -> Placement.parse("middle")).getMessage();
        org.junit.jupiter.api.Assertions.assertEquals("placement 'middle' is not known; allowed: prefix, after_first, suffix", m);
    }
}
