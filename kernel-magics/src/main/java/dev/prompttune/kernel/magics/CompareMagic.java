package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import java.util.ArrayList;
import java.util.List;

/** {@code %compare a b c…}: the runs' metrics table and their loss and dev-metric curves overlaid (PNG). */
final class CompareMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("compare").rest("runs", 1)
            .option("title", "TITLE", "chart title");

    private CompareMagic() {
    }

    static Object run(List<String> args) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        List<PromptTuneRun> runs = new ArrayList<>();
        for (String name : a.rest()) {
            if (a.rest().indexOf(name) != a.rest().lastIndexOf(name)) {
                throw SIGNATURE.error("'" + name + "' is given twice; give each run once");
            }
            runs.add(NotebookRuns.get().find(SIGNATURE, name));
        }
        String title = a.get("title") == null ? "comparison: " + String.join(", ", a.rest()) : a.get("title");
        return ResultViews.comparison(RunComparison.of(runs), title);
    }
}
