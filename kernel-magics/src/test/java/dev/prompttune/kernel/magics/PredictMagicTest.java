package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code %predict NAME field="value"…}: the pairs become the input's fields, each field once. */
class PredictMagicTest {

    @Test
    void pairsKeepTheirOrderAndTheTextAfterTheFirstEquals() {
        assertEquals(Map.of("subject", "a=b", "body", "c"), PredictMagic.pairs(List.of("subject=a=b", "body=c")));
        assertEquals(List.of("subject", "body"), List.copyOf(PredictMagic.pairs(List.of("subject=x", "body=y")).keySet()));
    }

    /** The last value used to win silently: subject="a" … subject="c" predicted on "c". */
    @Test
    void aFieldGivenTwiceIsRefused() {
        MagicError e = assertThrows(MagicError.class,
                () -> PredictMagic.pairs(List.of("subject=a", "body=b", "subject=c")));
        assertEquals("%predict: field 'subject' is given twice; give each template field once; usage: %predict NAME "
                + "INPUT…", e.getMessage());
    }
}
