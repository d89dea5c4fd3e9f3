package dev.prompttune.dsl;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.prompttune.core.train.StopReason;

/** Experiments that record the specs they are given instead of training (for keyword and error tests). */
class Recording extends Experiments {

    final List<PromptTuneSpec> specs = new ArrayList<>();

    Recording() {
        super((Session) null);
    }

    @Override
    protected PromptTuneRun execute(PromptTuneSpec spec) {
        specs.add(spec);
        return new PromptTuneRun(spec, spec.name(), Path.of("runs", spec.name()), "accuracy", 0.5, 0, 0.5, Map.of(), 0, 0, 0,
                0, 0, StopReason.COMPLETED, new float[0], spec.length(), 0, List.of(), List.of(), List.of());
    }

    @Override
    protected void prepare(PromptTuneSpec spec) {}

    @Override
    protected int modelLoads() {
        return 0;
    }

    /** Runs a script and returns the last spec it made. */
    PromptTuneSpec last(String script) {
        new ScriptRunner(this).run(script, "keywords.groovy");
        return specs.get(specs.size() - 1);
    }
}
