package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.PromptTuneRun;
import java.util.List;

/**
 * The verbs' checks of what they are given before they use it: a null run, list or input is named with the verb and
 * the argument's place, in one line (it was a NullPointerException's stack trace from deep inside).
 */
final class Arguments {

    static final String A_RUN = "a run (from promptTune, sweep.get, load or loadPrompt)";

    private Arguments() {}

    /** {@code run} itself; a null one is refused. */
    static PromptTuneRun run(PromptTuneRun run, String verb) {
        if (run == null) {
            throw new PromptTuneException(verb + ": the run is null; allowed: " + A_RUN);
        }
        return run;
    }

    /** {@code runs} itself; a null list or a null member (named by its place, from 1) is refused. */
    static List<PromptTuneRun> runs(List<PromptTuneRun> runs, String verb) {
        if (runs == null) {
            throw new PromptTuneException(verb + ": the list of runs is null; allowed: a list of runs");
        }
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i) == null) {
                throw new PromptTuneException(verb + ": run " + (i + 1) + " of " + runs.size() + " is null; allowed: " + A_RUN);
            }
        }
        return runs;
    }

    /**
     * A script's list as runs: each item a run (named by its place, from 1, when it is not); null items and a null
     * list are left to {@link #runs}, which names them.
     */
    static List<PromptTuneRun> runList(List<?> items, String verb) {
        if (items == null) {
            return null;
        }
        List<PromptTuneRun> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item != null && !(item instanceof PromptTuneRun)) {
                throw new PromptTuneException(verb + ": item " + (i + 1) + " of " + items.size() + " is "
                        + (item instanceof CharSequence ? "the text '" + item + "'" : "a " + item.getClass().getSimpleName())
                        + ", not a run; allowed: " + A_RUN);
            }
            out.add((PromptTuneRun) item);
        }
        return out;
    }

    /** {@code inputs} itself; a null list or a null input (named by its place, from 1) is refused. */
    static List<?> inputs(List<?> inputs, String verb) {
        if (inputs == null) {
            throw new PromptTuneException(verb + ": the list of inputs is null; allowed: a list of texts or maps of fields");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new PromptTuneException(verb + ": input " + (i + 1) + " of " + inputs.size() + " is null; allowed: a "
                        + "text or a map of fields");
            }
        }
        return inputs;
    }
}
