package dev.prompttune.kernel.jshell;

import dev.prompttune.kernel.CellException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaEvaluatorTest {

    static JavaEvaluator eval;

    @BeforeAll
    static void start() {
        eval = new JavaEvaluator(JvmClasspath.of(), JavaEvaluator.DEFAULT_STARTUP, 2000);
    }

    @AfterAll
    static void stop() {
        eval.close();
    }

    @Test
    void trailingExpressionIsTheValueAndSemicolonSuppressesIt() {
        assertEquals(3, eval.eval("1 + 2"));
        assertNull(eval.eval("1 + 2;"));
        assertEquals("ab", eval.eval("String s = \"a\";\ns + \"b\""));
        assertEquals("a", eval.eval("s"));
        assertNull(eval.eval("s = \"c\""), "assignments are not shown");
        assertNull(eval.eval("Object nothing = null; nothing"), "null is not shown");
    }

    @Test
    void realObjectsComeBackAndStaticsAreShared() {
        Object img = eval.eval("new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        assertInstanceOf(BufferedImage.class, img);
        assertEquals(3, ((BufferedImage) img).getWidth());

        eval.eval("dev.prompttune.kernel.jshell.SharedState.value = java.util.List.of(1, 2);");
        assertEquals(List.of(1, 2), SharedState.value);
        SharedState.value = new StringBuilder("from test");
        Object back = eval.eval("dev.prompttune.kernel.jshell.SharedState.value");
        assertSame(SharedState.value, back);
    }

    @Test
    void defaultImportsAndNotebookFunctionsAreVisible() {
        assertEquals(List.of(1, 2), eval.eval("new ArrayList<>(List.of(1, 2))"));
        assertNotNull(eval.eval("html(\"<b>x</b>\")"), "static import of Notebook.*");
    }

    @Test
    void splitsCellsIntoSnippets() {
        List<JavaEvaluator.Chunk> chunks = eval.split("int a = 1;\n// note\nvoid f() { }\n  a + 1");
        assertEquals(3, chunks.size());
        assertEquals("int a = 1;", chunks.get(0).source());
        assertFalse(chunks.get(0).displayable());
        assertTrue(chunks.get(2).source().startsWith("a + 1"));
        assertTrue(chunks.get(2).displayable());
        assertEquals("int a = 1;\n// note\nvoid f() { }\n  ".length(), chunks.get(2).start());

        // Completeness.UNKNOWN claims to be complete: the invalid rest must become one chunk, not be dropped.
        List<JavaEvaluator.Chunk> bad = eval.split("int ok = 1;\nint x = ;\nint y = 2;");
        assertEquals(2, bad.size());
        assertTrue(bad.get(1).source().startsWith("int x = ;"));

        assertTrue(eval.split("  // only a comment\n").isEmpty());
    }

    @Test
    void magicCallsShowTheirValueDespiteTheSemicolon() {
        List<JavaEvaluator.Chunk> c = eval.split(JavaEvaluator.LINE_MAGIC_CALL + "\"x\", java.util.List.of());");
        assertTrue(c.get(0).displayable());
        assertTrue(CellText.endsWithSemicolon("foo(); // done"));
        assertFalse(CellText.endsWithSemicolon("foo() // done;"));
    }

    @Test
    void runtimeErrorsHaveTheUserExceptionAndCellLines() {
        CellException oom = assertThrows(CellException.class, () -> eval.eval("long[] all = new long[Integer.MAX_VALUE];"));
        assertEquals("java.lang.OutOfMemoryError", oom.ename());
        assertTrue(oom.evalue().endsWith("; the kernel's Java heap (at most " + String.format(java.util.Locale.ROOT, "%,d",
                Runtime.getRuntime().maxMemory() >> 20) + " MiB) ran out: install it with a larger one (bin/prompttune "
                + "kernel install --jvm-opt -Xmx8g) and restart the kernel"), oom.evalue());

        CellException e = assertThrows(CellException.class, () -> eval.eval(
                "void boom() {\n  throw new IllegalStateException(\"no\");\n}\n\nboom();"));
        assertEquals("java.lang.IllegalStateException", e.ename());
        assertEquals("no", e.evalue());
        assertEquals(List.of("java.lang.IllegalStateException: no", "    at boom (cell line 2)", "    at cell line 5"),
                e.traceback());
    }

    /**
     * prompttune's bad-input errors (a missing prompt file, a refused setting) read as the command line prints them:
     * the message and where in the cell, without the library frames under it, nor their causes.
     */
    @Test
    void aPromptTuneErrorIsItsMessageAndTheCellLinesOnly() {
        CellException e = assertThrows(CellException.class, () -> eval.eval(
                "void load() {\n  throw new dev.prompttune.core.PromptTuneException(\"prompt file p.safetensors does not exist\","
                        + " new IllegalStateException(\"inner\"));\n}\n\nload();"));
        assertEquals("dev.prompttune.core.PromptTuneException", e.ename());
        assertEquals(List.of("dev.prompttune.core.PromptTuneException: prompt file p.safetensors does not exist",
                "    at load (cell line 2)", "    at cell line 5"), e.traceback());
        CellException kernelSide = Tracebacks.fromThrowable(new dev.prompttune.core.PromptTuneException("bad value"));
        assertEquals(List.of("dev.prompttune.core.PromptTuneException: bad value"), kernelSide.traceback());
    }

    @Test
    void laterSnippetsDoNotRunAfterAnError() {
        assertThrows(CellException.class, () -> eval.eval(
                "dev.prompttune.kernel.jshell.SharedState.value = \"before\";\n"
                        + "int z = 1 / 0;\n"
                        + "dev.prompttune.kernel.jshell.SharedState.value = \"after\";"));
        assertEquals("before", SharedState.value);
    }

    @Test
    void compileErrorsPointAtTheCellLine() {
        CellException e = assertThrows(CellException.class, () -> eval.eval("int ok = 1;\n\nint bad = nope + 1;"));
        assertEquals(CellException.COMPILATION, e.ename());
        assertEquals("cannot find symbol", e.evalue());
        assertTrue(e.traceback().contains("cell line 3: cannot find symbol"), e.traceback().toString());
        assertTrue(e.traceback().contains("    int bad = nope + 1;"), e.traceback().toString());
        assertTrue(e.traceback().contains("              ^~~~"), e.traceback().toString());
    }

    @Test
    void unresolvedReferencesAreReported() {
        CellException e = assertThrows(CellException.class, () -> eval.eval("void needsK() { k(); }\nneedsK();"));
        assertEquals("UnresolvedReferenceException", e.ename());
        assertTrue(e.evalue().contains("method k()"), e.evalue());
    }

    @Test
    void isComplete() {
        assertEquals("complete", eval.isComplete("int x = 1;"));
        assertEquals("complete", eval.isComplete("1 + 1"));
        assertEquals("complete", eval.isComplete("// just a comment"));
        assertEquals("    ", eval.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("", eval.isComplete("int y = 1 +"));
        assertEquals("invalid", eval.isComplete("int x = ;"));
        assertEquals("invalid", eval.isComplete(")"));
    }

    @Test
    void completion() {
        JavaEvaluator.Completion c = eval.complete("int n = 1;\nMath.ma", "int n = 1;\nMath.ma".length());
        assertEquals(List.of("max("), c.matches());
        assertEquals("int n = 1;\nMath.".length(), c.start());
        assertEquals("int n = 1;\nMath.ma".length(), c.end());

        JavaEvaluator.Completion mid = eval.complete("Strin x;", 5);
        assertTrue(mid.matches().contains("String"), mid.matches().toString());
        assertEquals(0, mid.start());
    }

    @Test
    void inspection() {
        String doc = eval.inspect("Math.max", 6);
        assertNotNull(doc);
        assertTrue(doc.contains("int Math.max(int a, int b)"), doc);
        eval.eval("String inspected = \"hello\";");
        assertTrue(eval.inspect("inspected", 3).contains("inspected"));
        assertNull(eval.inspect("   ", 1));
    }

    @Test
    void nestedEvaluationFromInsideACellIsRefused() {
        // A cell calling back into the evaluator would join its own thread inside JShell and hang forever.
        SharedState.value = eval;
        CellException e = assertThrows(CellException.class, () -> eval.eval(
                "((dev.prompttune.kernel.jshell.JavaEvaluator) dev.prompttune.kernel.jshell.SharedState.value).eval(\"1\")"));
        assertEquals("java.lang.IllegalStateException", e.ename());
    }

    @Test
    void interruptStopsABusyLoopAndTheEvaluatorStaysUsable() throws Exception {
        CellException e = runAndInterrupt(eval, "while (true) { }", 500);
        assertEquals(CellException.INTERRUPTED, e.ename());
        assertEquals(2, eval.eval("1 + 1"));
    }

    @Test
    void interruptIsCooperativeFirst() throws Exception {
        // A huge grace period: only the thread interrupt can end these cells quickly.
        try (JavaEvaluator patient = new JavaEvaluator(JvmClasspath.of(), List.of(), 600_000)) {
            long t0 = System.nanoTime();
            assertEquals(CellException.INTERRUPTED, runAndInterrupt(patient, "Thread.sleep(100_000);", 300).ename());
            assertEquals(CellException.INTERRUPTED, runAndInterrupt(patient,
                    "long n = 0; while (!Thread.currentThread().isInterrupted()) { n++; }", 300).ename());
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "cooperative interrupts took too long");
            assertEquals(7, patient.eval("3 + 4"));
        }
    }

    @Test
    void interruptWithNothingRunningIsANoOp() {
        eval.interrupt();
        assertEquals(5, eval.eval("2 + 3"));
    }

    static CellException runAndInterrupt(JavaEvaluator evaluator, String code, long afterMillis) throws Exception {
        CellException[] thrown = new CellException[1];
        Thread runner = new Thread(() -> {
            try {
                evaluator.eval(code);
            } catch (CellException e) {
                thrown[0] = e;
            }
        });
        runner.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!evaluator.isEvaluating() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(afterMillis);
        evaluator.interrupt();
        runner.join(15_000);
        assertFalse(runner.isAlive(), "cell still running after interrupt: " + code);
        assertNotNull(thrown[0], "interrupted cell did not fail: " + code);
        return thrown[0];
    }
}
