package dev.prompttune.kernel;

import com.google.gson.Gson;
import dev.prompttune.kernel.magics.PromptTuneExtension;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel in-process (no sockets): magics, extension loading, rendering, replies. */
class PromptTuneKernelTest {

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

    @Test
    void extensionIsDiscoveredThroughTheServiceLoader() {
        assertTrue(kernel.getMagicsRegistry().getLineMagicNames().containsAll(PromptTuneExtension.lineMagicNames()));
        assertTrue(kernel.getMagicsRegistry().getCellMagicNames().contains("html"));
    }

    @Test
    void lineMagicReturnsItsValue() {
        Object v = kernel.evalRaw("%prompttune_version");
        assertEquals(KernelVersion.describe(), v);
        assertTrue(KernelVersion.describe().startsWith("prompttune " + KernelVersion.prompttune()));
        assertTrue(!KernelVersion.prompttune().contains("${"), "kernel.properties is filtered");
        CellException e = assertThrows(CellException.class, () -> kernel.evalRaw("%prompttune_version extra"));
        assertTrue(e.evalue().contains("unexpected argument") && e.evalue().contains("extra"), e.evalue());
    }

    @Test
    void cellMagicRendersAsHtml() {
        DisplayData d = kernel.eval("\n%%html\n<b>hi</b>\n");
        assertEquals("<b>hi</b>\n", d.getData(MIMEType.TEXT_HTML));
        assertEquals("<b>hi</b>", d.getData(MIMEType.TEXT_PLAIN));
        assertNotNull(kernel.eval("%%html"), "a cell magic without a body still runs");
    }

    @Test
    void magicsAndJavaMixInOneCell() {
        assertEquals(KernelVersion.describe().length(), kernel.evalRaw("int before = 1;\n%prompttune_version\n").toString().length());
        assertEquals(43, kernel.evalRaw("int k = 42;\n%lsmagic\nk + 1"));
    }

    @Test
    void anUnclosedQuoteInAMagicsArgumentsIsRefused() {
        String allowed = "; allowed: double quotes in pairs around a value with spaces (\"two words\"), \\\" for a quote inside one";
        for (String[] c : new String[][] {
                {"%predict a \"unclosed", "%predict", "a \"unclosed"},
                {"int x = 1;\n  %predict a text=\"unclosed", "%predict", "a text=\"unclosed"},
                {"%loadPrompt \"/path/with space/p1 as c2", "%loadPrompt", "\"/path/with space/p1 as c2"},
                {"%predict a \"say \\\"hi\\\"", "%predict", "a \"say \\\"hi\\\""},
                {"%%groovy \"x\n1", "%%groovy", "\"x"}}) {
            CellException e = assertThrows(CellException.class, () -> kernel.evalRaw(c[0]), c[0]);
            assertEquals("unclosed quote in " + c[1] + " arguments: " + c[2] + allowed, e.evalue(), c[0]);
        }
        assertEquals(KernelVersion.describe(), kernel.evalRaw("%prompttune_version"), "no quote: as before");
        CellException e = assertThrows(CellException.class, () -> kernel.evalRaw("%prompttune_version \"a \\\" b\""));
        assertTrue(e.evalue().contains("unexpected argument 'a \" b'"), "an escaped quote is inside the value: " + e.evalue());
    }

    @Test
    void unknownMagicFails() {
        CellException e = assertThrows(CellException.class, () -> kernel.evalRaw("%definitely_not_a_magic"));
        assertTrue(e.evalue().contains("definitely_not_a_magic"));
    }

    @Test
    void imagesRenderAsPngWithShortText() {
        DisplayData d = kernel.eval("new java.awt.image.BufferedImage(5, 4, java.awt.image.BufferedImage.TYPE_INT_ARGB)");
        assertNotNull(d.getData(MIMEType.IMAGE_PNG));
        assertEquals("image 5x4", d.getData(MIMEType.TEXT_PLAIN));
    }

    record Metric(String name, double value) {
    }

    @Test
    void rendererRegistry() {
        Renderers.register(kernel.getRenderer(), Metric.class, m -> RichOutput.of(m.name() + "=" + m.value())
                .html("<b>" + m.name() + "</b>")
                .png(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)));
        DisplayData d = kernel.getRenderer().render(new Metric("acc", 0.9));
        assertEquals("acc=0.9", d.getData(MIMEType.TEXT_PLAIN));
        assertEquals("<b>acc</b>", d.getData(MIMEType.TEXT_HTML));
        assertInstanceOf(String.class, d.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void richOutputFromACell() {
        DisplayData d = kernel.eval("markdown(\"# title\")");
        assertEquals("# title", d.getData(MIMEType.TEXT_MARKDOWN));
        assertEquals("title", kernel.eval("html(\"<i>title</i>\")").getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void completesMagicNamesAndJava() {
        ReplacementOptions line = kernel.complete("int a = 1;\n%prompt", "int a = 1;\n%prompt".length());
        assertEquals(List.of("prompts", "prompttune_version"), line.getReplacements().stream().sorted().toList());
        assertEquals("int a = 1;\n%".length(), line.getSourceStart());
        assertEquals(List.of("html"), kernel.complete("%%ht", 4).getReplacements());
        assertEquals(List.of("promptTune"), kernel.complete("%%promptT", 9).getReplacements());
        assertEquals(List.of("max("), kernel.complete("Math.ma", 7).getReplacements());
    }

    @Test
    void isCompleteUnderstandsMagics() {
        assertEquals("complete", kernel.isComplete("%%html\n<b>"));
        assertEquals("complete", kernel.isComplete("%prompttune_version"));
        assertEquals("    ", kernel.isComplete("%prompttune_version\nif (true) {"));
    }

    @Test
    void repliesCarryStatusOk() {
        Gson gson = new Gson();
        assertTrue(gson.toJson(new KernelReplies.KernelInfo("5.3", "prompttune", "1", null, "b", List.of()))
                .contains("\"status\":\"ok\""));
        assertTrue(gson.toJson(new KernelReplies.Interrupt()).contains("\"status\":\"ok\""));
        assertEquals("{\"status\":\"ok\",\"restart\":false}", gson.toJson(new KernelReplies.Shutdown(false)));
    }

    @Test
    void errorsFromTheKernelAreShort() {
        List<String> tb = kernel.formatError(new IllegalStateException("x"));
        assertEquals("java.lang.IllegalStateException: x", tb.get(0));
        assertTrue(tb.size() <= 12, tb.toString());
    }
}
