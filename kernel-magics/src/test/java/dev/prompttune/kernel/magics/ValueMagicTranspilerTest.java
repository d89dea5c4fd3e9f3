package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.jshell.JavaEvaluator;
import dev.prompttune.kernel.jshell.JvmClasspath;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueMagicTranspilerTest {

    static final MagicParser PARSER = ValueMagicTranspiler.newParser();
    static JavaEvaluator eval;

    @BeforeAll
    static void start() {
        eval = new JavaEvaluator(JvmClasspath.of(), List.of(), 2000);
    }

    @AfterAll
    static void stop() {
        eval.close();
    }

    @Test
    void lineMagicBecomesAValueReturningCall() {
        assertEquals(JavaEvaluator.LINE_MAGIC_CALL + "\"prompttune_version\", java.util.List.of());",
                PARSER.resolveMagics("%prompttune_version"));
        assertEquals("int a = 1;\n" + JavaEvaluator.LINE_MAGIC_CALL + "\"m\", java.util.List.of(\"x\", \"two words\"));\nint b = 2;",
                PARSER.resolveMagics("int a = 1;\n  %m x \"two words\"\nint b = 2;"));
    }

    @Test
    void percentInsideJavaIsLeftAlone() {
        String java = "int r = 7%3;\nString f = String.format(\"%d items\", r);";
        assertEquals(java, PARSER.resolveMagics(java));
    }

    @Test
    void cellMagicKeepsItsBodyExactly() {
        String out = PARSER.resolveMagics("%%html --x=1\n<b class=\"c\">a\\b</b>\n\ttab");
        assertTrue(out.startsWith(JavaEvaluator.CELL_MAGIC_CALL + "\"html\", java.util.List.of(\"--x=1\"), "), out);
    }

    @Test
    void literalsRoundTripThroughJava() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("line ").append(i).append(" \"q\" \\u0041 é 😀\n");
        }
        for (String s : List.of("", "plain", "quote \" backslash \\ \\u0041 tab\t cr\r nl\n", "ctl\u0001\u001f\u007f", big.toString())) {
            assertEquals(s, eval.eval(ValueMagicTranspiler.literal(s)), "round trip of a " + s.length() + "-char string");
        }
        assertTrue(ValueMagicTranspiler.literal(big.toString()).startsWith("new StringBuilder()"));
    }
}
