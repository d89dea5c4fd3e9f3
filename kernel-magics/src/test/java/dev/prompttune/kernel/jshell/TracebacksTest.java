package dev.prompttune.kernel.jshell;

import dev.prompttune.kernel.CellException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TracebacksTest {

    @Test
    void snippetFramesBecomeCellLines() {
        Tracebacks.SnippetLocator here = (id, line) -> id.equals("7") ? "cell line " + (10 + line) : null;
        assertEquals("cell line 12", Tracebacks.render(new StackTraceElement("", "", "#7", 2), here));
        assertEquals("train (cell line 11)", Tracebacks.render(new StackTraceElement("", "train", "#7", 1), here));
        assertEquals("lambda (cell line 11)", Tracebacks.render(new StackTraceElement("", "lambda$do_it$$0", "#7", 1), here));
        assertEquals("helper (snippet #3, line 4)", Tracebacks.render(new StackTraceElement("", "helper", "#3", 4), here));
    }

    @Test
    void plumbingFramesAreHidden() {
        assertNull(Tracebacks.render(new StackTraceElement("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2), null));
        assertNull(Tracebacks.render(new StackTraceElement("dev.prompttune.kernel.Notebook", "runCellMagic", "Notebook.java", 90), null));
        assertNull(Tracebacks.render(new StackTraceElement("org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry", "evalCellMagic", "M.java", 1), null));
        assertEquals("ai.djl.Foo.bar(Foo.java:3)",
                Tracebacks.render(new StackTraceElement("ai.djl.Foo", "bar", "Foo.java", 3), null));
    }

    @Test
    void longTracesAreCapped() {
        RuntimeException deep = new RuntimeException("deep", new IllegalStateException("root"));
        StackTraceElement[] frames = new StackTraceElement[200];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("lib.Recursive", "call", "Recursive.java", i + 1);
        }
        deep.setStackTrace(frames);
        CellException e = Tracebacks.fromThrowable(deep);
        assertEquals("java.lang.RuntimeException", e.ename());
        assertEquals("deep", e.evalue());
        List<String> tb = e.traceback();
        assertTrue(tb.size() < 30, tb.toString());
        assertTrue(tb.contains("    ... 190 more"), tb.toString());
        assertTrue(tb.stream().anyMatch(l -> l.startsWith("Caused by: java.lang.IllegalStateException: root")));
    }

    @Test
    void cellExceptionsPassThrough() {
        CellException ce = CellException.interrupted();
        assertEquals(ce, Tracebacks.fromThrowable(ce));
    }
}
