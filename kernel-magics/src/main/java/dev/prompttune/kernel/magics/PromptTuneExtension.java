package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.KernelVersion;
import dev.prompttune.kernel.RichOutput;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

import java.util.List;
import java.util.TreeSet;

/**
 * The prompttune extension: registers prompttune's magics with whatever JJava kernel loads it (ours, through
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension}, or a user's own JJava kernel with this jar on
 * its class path).
 * <p>
 * Magics are {@code LineMagic}/{@code CellMagic} lambdas {@code (kernel, args[, body]) -> value}. In the
 * prompttune kernel the returned value is the cell's result (rendered: text, {@link RichOutput}, images);
 * a kernel that drops magic values (JJava 1.0-a6's own transpiler) still shows what the magic
 * {@code display(...)}s. A magic runs on the cell's thread: long work must check {@link Thread#interrupted()}
 * so the notebook's interrupt button stops it. Parse options with
 * {@code org.dflib.jjava.jupyter.kernel.magic.MagicsArgs}.
 */
public class PromptTuneExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        registerMagics(kernel.getMagicsRegistry());
        ResultViews.register(kernel.getRenderer());
    }

    /** Every prompttune magic (each a small class with a declared {@link MagicSignature}). */
    public static void registerMagics(MagicsRegistry magics) {
        magics.registerCellMagic("promptTune", (kernel, args, body) -> PromptTuneMagic.run(kernel, args, body));
        magics.registerCellMagic("groovy", (kernel, args, body) -> GroovyMagic.run(kernel, args, body));
        magics.registerLineMagic("prompts", (kernel, args) -> PromptsMagic.run(args));
        magics.registerLineMagic("compare", (kernel, args) -> CompareMagic.run(args));
        magics.registerLineMagic("savePrompt", (kernel, args) -> PromptFileMagics.save(args));
        magics.registerLineMagic("loadPrompt", (kernel, args) -> PromptFileMagics.load(args));
        magics.registerLineMagic("exportPeft", (kernel, args) -> PromptFileMagics.exportPeft(args));
        magics.registerLineMagic("predict", (kernel, args) -> PredictMagic.run(args));
        magics.registerLineMagic("nearest", (kernel, args) -> NearestMagic.run(args));
        magics.registerLineMagic("liveCharts", (kernel, args) -> LiveChartsMagic.run(args));

        // %prompttune_version — line magic: the versions in use, as the cell's value.
        MagicSignature version = MagicSignature.line("prompttune_version");
        magics.registerLineMagic("prompttune_version", (kernel, args) -> {
            version.parse(args); // refuses arguments, as every magic does
            return KernelVersion.describe();
        });

        // %lsmagic — the magics this kernel knows.
        magics.registerLineMagic("lsmagic", (kernel, args) -> {
            MagicsRegistry r = kernel.getMagicsRegistry();
            return "line magics: %" + String.join(" %", new TreeSet<>(r.getLineMagicNames()))
                    + "\ncell magics: %%" + String.join(" %%", new TreeSet<>(r.getCellMagicNames()));
        });

        // %%html — cell magic: the cell body shown as HTML (proves cell-magic plumbing end to end).
        magics.registerCellMagic("html", (kernel, args, body) -> RichOutput.of(body.strip()).html(body));
    }

    /** Cell magic names registered by {@link #registerMagics}. */
    public static List<String> cellMagicNames() {
        return List.of("html", "promptTune", "groovy");
    }

    /** Line magic names registered by {@link #registerMagics}; handy for tests and completion. */
    public static List<String> lineMagicNames() {
        return List.of("prompttune_version", "lsmagic", "prompts", "compare", "savePrompt", "loadPrompt", "exportPeft",
                "predict", "nearest", "liveCharts");
    }
}
