package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import java.util.List;

/** {@code %nearest name [k]}: per prompt position, the k nearest vocabulary tokens (cosine), labels marked. */
final class NearestMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("nearest").required("name").optional("k");

    private NearestMagic() {
    }

    static Object run(List<String> args) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        PromptTuneRun run = NotebookRuns.get().find(SIGNATURE, a.get("name"));
        int k = a.integer("k", 5, 1);
        return ResultViews.interpretation(NotebookRuns.get().experiments().nearest(run, k));
    }
}
