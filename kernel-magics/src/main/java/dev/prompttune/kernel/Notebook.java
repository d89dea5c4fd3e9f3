package dev.prompttune.kernel;

import dev.prompttune.kernel.magics.MagicError;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

import java.awt.image.RenderedImage;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Functions available in every cell (statically imported by the kernel's JShell startup):
 * {@code display(obj)}, {@code updateDisplay(id, obj)}, {@code html(...)}, {@code markdown(...)},
 * {@code image(...)}, {@code registerRenderer(type, fn)}, {@code checkInterrupted()}.
 * <p>
 * They work in any JJava-based kernel (they only use {@link BaseKernel}), so library code (the prompttune
 * magics, a training listener drawing a live progress display) can call them too. Output published when no
 * cell is running (e.g. from a background thread after the cell ended) is dropped by the kernel.
 */
public final class Notebook {

    private Notebook() {
    }

    /** The running kernel (throws outside a notebook). */
    public static BaseKernel kernel() {
        return BaseKernel.notebookKernel();
    }

    /** Shows {@code value} as a display_data output now; returns its display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        return publish(render(value));
    }

    /** Like {@link #display(Object)}, rendered as the given MIME types (e.g. "text/html"). */
    public static String display(Object value, String... mimeTypes) {
        return publish(kernel().getRenderer().renderAs(value, mimeTypes));
    }

    /** Replaces the output shown by {@code display(...)} with id {@code id} (a live progress view). */
    public static void updateDisplay(String id, Object value) {
        flushStreams();
        kernel().getIO().display.updateDisplay(id, render(value));
    }

    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        flushStreams();
        kernel().getIO().display.updateDisplay(id, kernel().getRenderer().renderAs(value, mimeTypes));
    }

    public static RichOutput html(String html) {
        return RichOutput.of(stripTags(html)).html(html);
    }

    public static RichOutput markdown(String markdown) {
        return RichOutput.of(markdown).markdown(markdown);
    }

    public static RichOutput image(RenderedImage image) {
        return RichOutput.of("image " + image.getWidth() + "x" + image.getHeight()).png(image);
    }

    public static RichOutput image(byte[] png) {
        return RichOutput.of("image (" + png.length + " bytes of PNG)").png(png);
    }

    /** Registers how values of {@code type} are shown (text/plain + text/html + image/png …). */
    public static <T> void registerRenderer(Class<T> type, Function<? super T, RichOutput> render) {
        Renderers.register(kernel().getRenderer(), type, render);
    }

    /**
     * For long loops in cells or libraries: throws if the user interrupted the cell (the kernel interrupts the
     * cell's thread). Loops that call this (or check {@link Thread#interrupted()}) stop promptly.
     */
    public static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted");
        }
    }

    /**
     * Binds {@code value} to the Java variable {@code name} in the notebook (a magic's way to hand back a run:
     * {@code %%promptTune a} makes {@code a} a variable of the next cells). The prompttune kernel declares the
     * variable right after the statement that bound it, typed as the value's class (or its nearest public
     * superclass the notebook can see); other JJava kernels only keep it for {@link #bound(String)}.
     *
     * @throws IllegalArgumentException when {@code name} is not a Java identifier
     */
    public static void bind(String name, Object value) {
        Bindings.bind(name, value);
    }

    /** The value last bound to {@code name} with {@link #bind}, or null. */
    public static Object bound(String name) {
        return Bindings.get(name);
    }

    /** Called by code the magic transpiler generates for {@code %name args}; returns the magic's value. */
    public static Object runLineMagic(String name, List<String> args) {
        BaseKernel k = kernel();
        try {
            return k.getMagicsRegistry().evalLineMagic(k, name, args);
        } catch (UndefinedMagicException e) {
            throw unknownMagic("%" + name, k.getMagicsRegistry().getLineMagicNames(), "%",
                    k.getMagicsRegistry().getCellMagicNames().contains(name) ? "%%" + name + " is a cell magic: "
                            + "write it on the cell's first line, the cell's text below it" : null);
        } catch (Exception e) {
            throw sneaky(e);
        }
    }

    /** Called by code the magic transpiler generates for a {@code %%name args} cell; returns the magic's value. */
    public static Object runCellMagic(String name, List<String> args, String body) {
        BaseKernel k = kernel();
        try {
            return k.getMagicsRegistry().evalCellMagic(k, name, args, body);
        } catch (UndefinedMagicException e) {
            throw unknownMagic("%%" + name, k.getMagicsRegistry().getCellMagicNames(), "%%",
                    k.getMagicsRegistry().getLineMagicNames().contains(name) ? "%" + name + " is a line magic: "
                            + "one line, with its arguments after it" : null);
        } catch (Exception e) {
            throw sneaky(e);
        }
    }

    /** Called by code the magic transpiler generates for a magic it refuses (an unclosed quote): fails with {@code message}. */
    public static Object refuseMagic(String message) {
        throw new MagicError(message);
    }

    /**
     * A magic that does not exist, named with the ones that do (the kernel's own text was "Undefined line magic
     * 'nearst'", with no hint of what to write).
     */
    private static MagicError unknownMagic(String written, Set<String> known, String prefix, String hint) {
        String names = known.stream().sorted().map(n -> prefix + n).collect(Collectors.joining(", "));
        return new MagicError(written + " is not a magic of this kernel" + (hint == null ? "" : "; " + hint)
                + "; known: " + names);
    }

    // ---------------------------------------------------------------------------------------------

    private static DisplayData render(Object value) {
        if (value instanceof DisplayData d) {
            return d;
        }
        return kernel().getRenderer().render(value == null ? "null" : value);
    }

    private static String publish(DisplayData data) {
        String id = data.getDisplayId();
        if (id == null) {
            id = UUID.randomUUID().toString();
            data.setDisplayId(id);
        }
        flushStreams();
        kernel().display(data);
        return id;
    }

    /** Keeps text printed before a display above it. */
    private static void flushStreams() {
        System.out.flush();
        System.err.flush();
    }

    private static String stripTags(String html) {
        return html.replaceAll("<[^>]*>", "").strip();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
