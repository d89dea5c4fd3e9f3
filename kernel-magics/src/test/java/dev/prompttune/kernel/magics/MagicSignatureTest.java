package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared magic arguments: what parses, and that everything else fails naming the problem and the usage. */
class MagicSignatureTest {

    static final MagicSignature NEAREST = MagicSignature.line("nearest").required("name").optional("k")
            .option("dir", "DIR", "where");
    static final MagicSignature LOAD = MagicSignature.line("loadPrompt").required("path").as("name");
    static final MagicSignature COMPARE = MagicSignature.line("compare").rest("runs", 1).option("quiet", null, "no chart");

    @Test
    void parsesPositionalOptionalAndOptions() {
        MagicSignature.Args a = NEAREST.parse(List.of("run1", "7", "--dir", "x"));
        assertEquals("run1", a.get("name"));
        assertEquals(7, a.integer("k", 5, 1));
        assertEquals("x", a.get("dir"));
        MagicSignature.Args b = NEAREST.parse(List.of("--dir=y", "run2"));
        assertEquals("y", b.get("dir"));
        assertEquals(5, b.integer("k", 5, 1), "absent: the default");
        assertEquals("%nearest NAME [K] [--dir DIR]", NEAREST.usage());
    }

    /** The kernel removes double quotes but keeps single ones: a wholly single-quoted argument loses them here. */
    @Test
    void singleQuotesAreRemovedAsInAShell() {
        MagicSignature.Args a = NEAREST.parse(List.of("'run1'", "--dir", "'x y'"));
        assertEquals("run1", a.get("name"));
        assertEquals("x y", a.get("dir"));
        assertEquals("", PromptFileMagics.SAVE.parse(List.of("run1", "''")).get("path"));
        assertEquals("it's", NEAREST.parse(List.of("it's")).get("name"), "an inner quote stays");
    }

    @Test
    void asClauseAndRest() {
        assertEquals("p", LOAD.parse(List.of("a/b", "as", "p")).get("name"));
        assertNull(LOAD.parse(List.of("a/b")).get("name"));
        MagicSignature.Args c = COMPARE.parse(List.of("a", "b", "--quiet", "c"));
        assertEquals(List.of("a", "b", "c"), c.rest());
        assertTrue(c.flag("quiet"));
    }

    /** %loadPrompt's one override of the prompt check, anywhere on the line. */
    @Test
    void loadPromptTakesAnyModel() {
        MagicSignature.Args a = PromptFileMagics.LOAD.parse(List.of("runs/x", "as", "back", "--any-model"));
        assertEquals("back", a.get("name"));
        assertTrue(a.flag("any-model"));
        assertTrue(!PromptFileMagics.LOAD.parse(List.of("runs/x")).flag("any-model"));
        assertEquals("%loadPrompt PATH [as NAME] [--any-model]", PromptFileMagics.LOAD.usage());
    }

    @Test
    void rejectsWhatIsNotDeclared() {
        assertMessage(() -> NEAREST.parse(List.of("r", "--kk", "3")), "%nearest: unknown option --kk", "allowed: --dir",
                "usage: %nearest NAME [K] [--dir DIR]");
        assertMessage(() -> LOAD.parse(List.of("p", "--x")), "unknown option --x; it takes no options");
        assertMessage(() -> NEAREST.parse(List.of()), "missing NAME");
        assertMessage(() -> NEAREST.parse(List.of("r", "3", "extra")), "unexpected argument 'extra'");
        assertMessage(() -> NEAREST.parse(List.of("r", "--dir")), "option --dir needs a value (DIR)");
        assertMessage(() -> COMPARE.parse(List.of("--quiet")), "missing RUNS");
        assertMessage(() -> NEAREST.parse(List.of("r", "zero")).integer("k", 5, 1), "K must be an integer >= 1, got 'zero'");
        assertMessage(() -> NEAREST.parse(List.of("r", "0")).integer("k", 5, 1), "K must be an integer >= 1, got '0'");
        // >= 1 but past an int: the message said only the bound it meets
        assertMessage(() -> NEAREST.parse(List.of("r", "99999999999")).integer("k", 5, 1),
                "K must be an integer >= 1, got '99999999999' (too large)");
    }

    private static void assertMessage(Runnable r, String... parts) {
        MagicError e = assertThrows(MagicError.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }
}
