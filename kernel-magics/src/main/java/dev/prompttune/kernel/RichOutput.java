package dev.prompttune.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A rich value for the notebook: text/plain plus any of text/html, text/markdown, image/png (PNG first: GitHub
 * renders it and the classic notebook prefers SVG over PNG when both exist, so no SVG here).
 * Return it from a cell, pass it to {@code display(...)}, or build one in a {@link Renderers renderer}.
 * It renders in any JJava kernel (it is a {@link DisplayDataRenderable}).
 * <pre>{@code RichOutput.of("3 runs").html("<table>…</table>").png(chart)}</pre>
 */
public final class RichOutput implements DisplayDataRenderable {

    private static final Set<MIMEType> TYPES =
            Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.TEXT_MARKDOWN, MIMEType.IMAGE_PNG);

    private final Map<String, String> data = new LinkedHashMap<>();

    private RichOutput(String text) {
        if (text != null) {
            data.put("text/plain", text);
        }
    }

    /** A value whose text/plain form is {@code text}. */
    public static RichOutput of(String text) {
        return new RichOutput(text);
    }

    public RichOutput html(String html) {
        data.put("text/html", html);
        return this;
    }

    public RichOutput markdown(String markdown) {
        data.put("text/markdown", markdown);
        return this;
    }

    /** PNG bytes. */
    public RichOutput png(byte[] png) {
        data.put("image/png", Base64.getEncoder().encodeToString(png));
        return this;
    }

    /** An image, encoded as PNG. */
    public RichOutput png(RenderedImage image) {
        return png(toPng(image));
    }

    /** Adds any other MIME type (string data, e.g. application/json as text). */
    public RichOutput with(String mimeType, String value) {
        data.put(mimeType, value);
        return this;
    }

    public Map<String, String> data() {
        return Map.copyOf(data);
    }

    public DisplayData toDisplayData() {
        DisplayData d = new DisplayData();
        data.forEach(d::putData);
        if (!data.containsKey("text/plain")) {
            d.putText(toString());
        }
        return d;
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        DisplayData out = context.getOutputContainer();
        data.forEach(out::putData);
    }

    @Override
    public String toString() {
        String text = data.get("text/plain");
        if (text != null) {
            return text;
        }
        return "<" + String.join(", ", data.keySet()) + ">";
    }

    public static byte[] toPng(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalArgumentException("no PNG writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
