package dev.prompttune.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cells that would not end, or would end the kernel: the stop button ends a %%groovy busy loop (it used to spin on,
 * with no reply to that cell or any later one), and System.exit in a cell is refused with one line instead of killing
 * the kernel without a word. In-process kernel, as {@link PromptTuneKernelTest}.
 */
class CellEndsTest {

    static PromptTuneKernel kernel;

    @BeforeAll
    static void start() {
        kernel = PromptTuneKernel.builder().build();
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    /** Runs {@code cell}, presses stop after {@code afterMs}; the cell's error. */
    private static CellException interrupted(String cell, long afterMs) throws Exception {
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> kernel.evalRaw(cell));
        Thread.sleep(afterMs);
        long pressed = System.nanoTime();
        kernel.interrupt();
        Exception e = assertThrows(Exception.class, () -> run.get(20, TimeUnit.SECONDS), "the cell ended");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pressed);
        assertTrue(tookMs < 5_000, "stopped within 5 s of the interrupt: " + tookMs + " ms");
        assertTrue(e.getCause() instanceof CellException, String.valueOf(e.getCause()));
        return (CellException) e.getCause();
    }

    private static void assertUsable() {
        assertEquals(42, kernel.evalRaw("6 * 7"));
    }

    @Test
    void theStopButtonEndsAGroovyBusyLoop() throws Exception {
        CellException e = interrupted("%%groovy\nint n = 0; while (true) { n++ }", 1500);
        assertEquals(CellException.INTERRUPTED, e.ename(), e.toString());
        assertEquals(1, e.traceback().size(), "no stack trace: " + e.traceback());
        assertUsable();
    }

    @Test
    void theStopButtonEndsGroovyClosuresAndMethodsThatSpin() throws Exception {
        CellException e = interrupted("%%groovy\nint spin(int n) { while (true) { n++ } }\n(1..3).each { spin(it) }", 1500);
        assertEquals(CellException.INTERRUPTED, e.ename(), e.toString());
        assertUsable();
    }

    private static final String REFUSAL = " would end the notebook's kernel and lose its runs; end the cell with return, "
            + "or restart the kernel from the notebook";

    @Test
    void systemExitInAGroovyCellIsRefusedWhenItCompiles() {
        for (String[] c : new String[][] {
                {"%%groovy\nprintln 'before'\nSystem.exit(3)", "cell:3: System.exit"},
                {"%%groovy\nif (false) { Runtime.getRuntime().halt(1) }", "cell:2: Runtime.halt"},
                {"%%groovy\ndef r = Runtime.runtime\n[1].each { r.exit(it) }", "cell:3: Runtime.exit"},
                {"%%groovy\ndef quit = System.&exit", "cell:2: System.exit"},
                {"%%promptTune\ndata 'spam'\nSystem.exit(0)", "cell:3: System.exit"}}) {
            CellException e = assertThrows(CellException.class, () -> kernel.evalRaw(c[0]), c[0]);
            assertEquals(c[1] + REFUSAL, e.evalue(), c[0]);
        }
        assertUsable();
    }

    @Test
    void systemExitInAJavaCellIsRefusedWhenItRuns() {
        for (String[] c : new String[][] {
                {"System.exit(3);", "System.exit"},
                {"void quit() { Runtime.getRuntime().exit(1); }\nquit();", "Runtime.exit"},
                {"Runtime r = Runtime.getRuntime();\nif (r != null) r.halt(2);", "Runtime.halt"},
                {"java.util.function.IntConsumer q = System::exit;\nq.accept(4);", "System.exit"}}) {
            CellException e = assertThrows(CellException.class, () -> kernel.evalRaw(c[0]), c[0]);
            assertEquals(c[1] + REFUSAL, e.evalue(), c[0]);
        }
        assertEquals("System.exit", kernel.evalRaw("\"System.exit\""), "the words alone are fine");
        assertUsable();
    }

    /**
     * The interrupt checks are added after the script checks: with Groovy's own ThreadInterrupt customizer they came
     * first, every block began with an inserted {@code if}, and a block's mistakes were no longer found when the cell
     * compiled but when it ran, at the block's line.
     */
    @Test
    void aBlocksMistakeIsStillFoundAtItsLine() {
        CellException e = assertThrows(CellException.class,
                () -> kernel.evalRaw("%%groovy\npromptTune {\n    data 'spam'\n    template 'x: {txt}'\n}"));
        assertTrue(e.evalue().startsWith("cell:4: template slot '{txt}' has no field"), e.evalue());
        assertUsable();
    }
}
