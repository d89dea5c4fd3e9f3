package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.kernel.Bindings;
import dev.prompttune.kernel.CooperativeInterrupt;
import dev.prompttune.kernel.Notebook;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * {@code %%promptTune [name]}: the cell body is the inside of a DSL {@code promptTune { }} block
 * ({@code model 't5-mini-ppmi'; length 20; init 'labels'; data 'spam'}). Trains with a live progress display and
 * chart, returns the run (shown as its result table), keeps it under {@code name} for the other magics, and binds it
 * to the Java variable {@code name}. An interrupt stops at the next step; the best prompt is scored, saved with the
 * record, and shown.
 */
final class PromptTuneMagic {

    static final MagicSignature SIGNATURE = MagicSignature.cell("promptTune").optional("name");

    private PromptTuneMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args, String body) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        String name = a.get("name");
        if (name != null && !Bindings.isIdentifier(name)) {
            throw SIGNATURE.error("NAME '" + name + "' must be a Java variable name (letters, digits, _), e.g. spamRun");
        }
        // The magic line is the cell's line 1, and the body starts on line 2, as in the notebook's editor and in Java
        // cells' tracebacks: so `cell:LINE` in a DSL error is the line the notebook shows.
        String script = "\npromptTune { " + (name == null ? "" : "name '" + name + "'; ") + body + "\n}";
        PromptTuneRun run;
        try (DisplayPublisher publisher = new DisplayPublisher(kernel)) {
            Experiments ex = NotebookRuns.get().experiments(new LiveProgress(publisher));
            run = CooperativeInterrupt.run(() -> (PromptTuneRun) GroovyCells.runner(ex).run(script, "cell"));
        }
        NotebookRuns.get().put(run.name(), run);
        if (name != null) {
            Notebook.bind(name, run);
        }
        if (run.interrupted()) {
            CooperativeInterrupt.markHandled();
        }
        return ResultViews.run(run);
    }
}
