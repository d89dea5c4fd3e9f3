package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.SweepResult;
import dev.prompttune.kernel.Bindings;
import dev.prompttune.kernel.CooperativeInterrupt;
import dev.prompttune.kernel.Notebook;
import java.util.LinkedHashMap;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code %%groovy [name]}: runs a whole DSL script (sweeps, ensembles, comparisons) with live progress. The
 * notebook's runs are visible in the script under their names; runs the script makes join the notebook's runs; the
 * script's value is the cell's result and, with {@code name}, the Java variable {@code name}.
 */
public final class GroovyMagic {

    static final MagicSignature SIGNATURE = MagicSignature.cell("groovy").optional("name");

    private GroovyMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args, String body) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        String name = a.get("name");
        if (name != null && !Bindings.isIdentifier(name)) {
            throw SIGNATURE.error("NAME '" + name + "' must be a Java variable name (letters, digits, _)");
        }
        // Line 1 is the magic line, as the notebook's editor counts (see PromptTuneMagic).
        String script = "\n" + declarations(body) + body;
        Object value;
        try (DisplayPublisher publisher = new DisplayPublisher(kernel)) {
            Experiments ex = NotebookRuns.get().experiments(new LiveProgress(publisher));
            try {
                value = CooperativeInterrupt.run(() -> GroovyCells.runner(ex).run(script, "cell"));
            } finally {
                // Also when the cell stops on an error (a verb refused after the stop button): its runs are recorded,
                // and %prompts, %compare and later cells know them.
                for (PromptTuneRun run : ex.runs()) {
                    NotebookRuns.get().put(run.name(), run);
                }
            }
        }
        if (value instanceof SweepResult sweep) {
            sweep.runs().forEach(r -> NotebookRuns.get().put(r.name(), r));
        }
        if (name != null) {
            Notebook.bind(name, value);
            if (value instanceof PromptTuneRun run) {
                NotebookRuns.get().put(name, run);
            }
        }
        return value;
    }

    /**
     * Typed declarations of the notebook's runs and bound values ({@code Notebook.bind}: sweeps, comparisons, …) that
     * the script mentions and does not declare itself, on one line prepended to the script's first line (so error
     * line numbers stay the cell's).
     */
    static String declarations(String body) {
        Map<String, Object> visible = new LinkedHashMap<>(NotebookRuns.get().runs());
        Bindings.all().forEach(visible::putIfAbsent);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : visible.entrySet()) {
            String n = e.getKey();
            String type = Bindings.typeOf(e.getValue());
            if (!Bindings.isIdentifier(n) || !mentions(body, n) || declares(body, n)) {
                continue;
            }
            b.append(type).append(' ').append(n).append(" = (").append(type).append(") ")
                    .append(GroovyMagic.class.getName()).append(".visible('").append(n).append("'); ");
        }
        return b.toString();
    }

    /** A notebook run or bound value by name (called by the declarations above). */
    public static Object visible(String name) {
        PromptTuneRun run = NotebookRuns.get().runs().get(name);
        return run != null ? run : Bindings.all().get(name);
    }

    private static boolean mentions(String body, String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(body).find();
    }

    private static boolean declares(String body, String name) {
        return Pattern.compile("\\b(def|var|[A-Z][\\w.<>]*)\\s+" + Pattern.quote(name) + "\\s*=").matcher(body).find();
    }
}
