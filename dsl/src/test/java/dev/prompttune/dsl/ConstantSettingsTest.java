package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A setting whose value is known before the script runs, though not written as a plain literal ({@code Double.NaN},
 * {@code 0.0 / 0.0}, {@code Integer.MIN_VALUE}, a variable given it once), is refused when the script is compiled,
 * as {@code run --check} compiles it, with the line and message the run gives (it passed {@code --check}, then the
 * run refused it). Values that are only known while the script runs still pass.
 */
@ExtendWith(HomeExtension.class)
class ConstantSettingsTest {

    private static final String HEAD = "promptTune {\n    model 'tiny'\n    data 'markers'\n";

    /** Compiles only, as {@code run --check} does: nothing runs. */
    private static void compile(String script) {
        new ScriptRunner(new Recording()).compile(script, "c.groovy");
    }

    static Stream<Arguments> knownBadValues() {
        return Stream.of(
                bad(HEAD + "    lr Double.NaN\n}\n", 4, "lr is NaN; allowed: lr > 0"),
                bad(HEAD + "    lr 0.0 / 0.0\n}\n", 4, "ArithmeticException: Division undefined"),
                bad(HEAD + "    steps Integer.MIN_VALUE\n}\n", 4, "steps is -2147483648; allowed: steps >= 1"),
                bad(HEAD + "    dropout Double.POSITIVE_INFINITY\n}\n", 4, "dropout is Infinity; allowed: 0 <= dropout < 1"),
                // Groovy's int arithmetic wraps, in the check as in the run.
                bad(HEAD + "    batch Integer.MAX_VALUE + 1\n}\n", 4, "batch is -2147483648; allowed: batch >= 1"),
                bad(HEAD + "    length 7 % 5 - 3\n}\n", 4, "length is -1; allowed: length >= 1"),
                bad(HEAD + "    lr Math.sqrt(-1)\n}\n", 4, "lr is NaN; allowed: lr > 0"),
                bad(HEAD + "    evalEvery(-Integer.MAX_VALUE)\n}\n", 4,
                        "evalEvery is -2147483647; allowed: evalEvery >= 0 (0: at the end)"),
                bad(HEAD + "    optimizer('adamw') { lr Float.NaN }\n}\n", 4, "lr is NaN; allowed: lr > 0"),
                bad("def rate = Double.NaN\n" + HEAD + "    lr rate\n}\n", 5, "lr is NaN; allowed: lr > 0"),
                bad("final n = 4\n" + HEAD + "    length n - n\n}\n", 5, "length is 0; allowed: length >= 1"),
                bad("sweep {\n    model 'tiny'; data 'markers'\n    lr 0.1, Double.NaN\n}\n", 3, "lr is NaN; allowed: lr > 0"),
                // A computed number too large for its keyword is named in 4 digits, not its 400.
                bad(HEAD + "    lr 0.1 * 10 ** 400\n}\n", 4, "lr is 1.000e399: too large for a double (at most 1.8e308 in size)"));
    }

    private static Arguments bad(String script, int line, String message) {
        return Arguments.of(script, line, message);
    }

    @ParameterizedTest
    @MethodSource("knownBadValues")
    void theCheckRefusesWhatTheRunRefuses(String script, int line, String message) {
        ScriptError e = assertThrows(ScriptError.class, () -> compile(script));
        assertEquals("c.groovy:" + line + ": " + message, e.getMessage());
    }

    @Test
    void everyKnownBadValueAtOnceInLineOrder() {
        ScriptError e = assertThrows(ScriptError.class, () -> compile(HEAD + """
                    lr 0.0 / 0.0
                    steps Integer.MIN_VALUE
                    batch 2 * -8
                }
                """));
        assertEquals(List.of(
                "c.groovy:4: ArithmeticException: Division undefined",
                "c.groovy:5: steps is -2147483648; allowed: steps >= 1",
                "c.groovy:6: batch is -16; allowed: batch >= 1"), e.getMessage().lines().toList());
    }

    /** Arbitrary-precision arithmetic this large took minutes at compile time (and a 1.7 MB message): not evaluated. */
    @Test
    void aHugeComputationIsLeftToRunTime() {
        assertTimeout(Duration.ofSeconds(20), () -> assertDoesNotThrow(() -> compile(HEAD + "    lr 0.1 * 7 ** 2000000\n}\n")));
    }

    @Test
    void valuesThatAreFineOrOnlyKnownWhileRunningPass() {
        assertDoesNotThrow(() -> compile(HEAD + "    lr 0.1 * 3\n    steps 2 * 3\n    seed Long.MAX_VALUE\n}\n"));
        assertDoesNotThrow(() -> compile("def rate = 0.1 * 3\n" + HEAD + "    lr rate\n    optimizer('adamw') { lr Math.pow(10, -3) }\n}\n"));
        // Assigned again: its value at the block is not its first one, so it is left to the run.
        assertDoesNotThrow(() -> compile("def rate = Double.NaN\nrate = 0.3\n" + HEAD + "    lr rate\n}\n"));
        assertDoesNotThrow(() -> compile("def n = 0\nn++\n" + HEAD + "    length n\n}\n"));
        // Known only once a run has finished.
        assertDoesNotThrow(() -> compile("def a = promptTune { model 'tiny'; data 'markers' }\n" + HEAD
                + "    lr a.dev + 0.1\n}\n"));
    }
}
