package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.run.ExperimentContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code predict} and {@code predictMixed} accept as inputs, turned into examples of a run's task. */
final class PredictInputs {

    private PredictInputs() {}

    /** Inputs (texts for a one-slot template, or maps of fields) as examples of {@code ctx}'s task. */
    static List<Example> examples(ExperimentContext ctx, List<?> inputs, String verb) {
        List<String> slots = ctx.data().template().slots();
        List<Example> examples = new ArrayList<>();
        for (Object input : inputs) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (input instanceof Map<?, ?> m) {
                m.forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
            } else if (input instanceof CharSequence text) {
                if (slots.size() != 1) {
                    throw new PromptTuneException(verb + ": the template '" + ctx.data().template().text() + "' has slots "
                            + slots + "; give a map of fields, e.g. predict(run, [" + String.join(": '…', ", slots) + ": '…'])");
                }
                fields.put(slots.get(0), text.toString());
            } else {
                throw new PromptTuneException(verb + ": input " + input + " is neither a text nor a map of fields");
            }
            fields.remove(ctx.data().labelField());
            examples.add(Example.of(verb + " input " + (examples.size() + 1), fields));
        }
        return examples;
    }
}
