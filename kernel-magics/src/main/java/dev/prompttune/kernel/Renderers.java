package dev.prompttune.kernel;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.function.Function;

/**
 * The renderer registry: teaches the kernel how to show a type as text/plain + text/html + image/png.
 * Results and {@code display(obj)} go through the kernel's {@link Renderer}; the most specific registered
 * class or interface of the value wins. {@code BufferedImage} (any {@code RenderedImage}) is registered by
 * JJava already and renders as image/png.
 * <pre>{@code
 * Renderers.register(kernel.getRenderer(), RunResult.class,
 *         r -> RichOutput.of(r.summary()).html(r.toHtmlTable()).png(r.lossChart()));
 * }</pre>
 * From a cell: {@code registerRenderer(MyType.class, t -> RichOutput.of(...).html(...))}.
 */
public final class Renderers {

    private Renderers() {
    }

    public static <T> void register(Renderer renderer, Class<T> type, Function<? super T, RichOutput> render) {
        renderer.createRegistration(type)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_MARKDOWN)
                .supporting(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_MARKDOWN)
                .register((value, context) -> {
                    RichOutput out = render.apply(value);
                    if (out != null) {
                        out.render(context);
                    }
                });
    }
}
