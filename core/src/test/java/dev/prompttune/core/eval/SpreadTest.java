package dev.prompttune.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void meanAndSampleStandardDeviationByHand() {
        // 0.70, 0.75, 0.80: mean 0.75; squared deviations 0.0025 + 0 + 0.0025 over n − 1 = 2 → sd 0.05.
        Spread s = Spread.of(0.70, 0.75, 0.80);
        assertEquals(0.75, s.mean(), 1e-12);
        assertEquals(0.05, s.sd(), 1e-12);
        assertEquals(3, s.n());
        assertEquals(0.70, s.min(), 0);
        assertEquals(0.80, s.max(), 0);
        assertEquals("0.750 ± 0.050 (n=3)", s.toString());
        assertEquals(0, Spread.of(0.6).sd(), 0, "one value: no spread");
    }

    @Test
    void noValuesOrANonFiniteValueIsAnError() {
        assertTrue(assertThrows(IllegalArgumentException.class, Spread::of).getMessage().contains("none"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Spread.of(0.5, Double.NaN)).getMessage()
                .contains("NaN"));
    }
}
