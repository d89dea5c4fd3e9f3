package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.Template;
import dev.prompttune.core.run.ExperimentContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@code predict} and {@code predictMixed} accept as inputs, turned into examples of a run's task. */
final class PredictInputs {

    private static final Logger LOG = LoggerFactory.getLogger(PredictInputs.class);

    private PredictInputs() {}

    /** Inputs (texts for a one-slot template, or maps of fields) as examples of {@code ctx}'s task. */
    static List<Example> examples(ExperimentContext ctx, List<?> inputs, String verb) {
        return examples(ctx, inputs, verb, 1);
    }

    /**
     * {@link #examples(ExperimentContext, List, String)}, the first input being input {@code firstNumber} of the
     * verb's list (messages name the input by its place there).
     */
    static List<Example> examples(ExperimentContext ctx, List<?> inputs, String verb, int firstNumber) {
        List<Example> examples = examples(ctx.data(), inputs, verb, firstNumber);
        warnIfNothingRead(ctx.data().template(), examples, verb, firstNumber);
        return examples;
    }

    /**
     * The inputs as examples of {@code task}, without a word about empty ones: for a task known without a loaded model
     * (the script's checks read a block's task, {@link RunVerbChecks}; the run says it when it predicts).
     */
    static List<Example> examples(TaskData task, List<?> inputs, String verb, int firstNumber) {
        Template template = task.template();
        List<String> slots = template.slots();
        List<Example> examples = new ArrayList<>();
        for (Object input : inputs) {
            int number = firstNumber + examples.size();
            Map<String, String> fields = new LinkedHashMap<>();
            if (input instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    fields.put(String.valueOf(e.getKey()), fieldText(e.getKey(), e.getValue(), number, verb));
                }
            } else if (input instanceof CharSequence text) {
                if (slots.size() != 1) {
                    throw new PromptTuneException(verb + ": the template '" + template.text() + "' has slots "
                            + slots + "; give a map of fields, e.g. predict(run, [" + String.join(": '…', ", slots) + ": '…'])");
                }
                fields.put(slots.get(0), text.toString());
            } else {
                throw new PromptTuneException(verb + ": input " + input + " is neither a text nor a map of fields");
            }
            fields.remove(task.labelField());
            examples.add(Example.of(verb + " input " + number, fields));
        }
        return examples;
    }

    /** One warning naming the inputs (numbered from {@code firstNumber}) with nothing in any of the template's slots. */
    private static void warnIfNothingRead(Template template, List<Example> examples, String verb, int firstNumber) {
        List<Integer> blank = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            if (template.readsNothingOf(examples.get(i))) {
                blank.add(firstNumber + i);
            }
        }
        if (!blank.isEmpty()) {
            // Training refuses inputs that all read the same; here the answer is still given, but said to be empty.
            String which = blank.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "))
                    + (blank.size() > 5 ? ", … (" + blank.size() + " in all)" : "");
            LOG.warn("{}: {} {} nothing in {}: the label comes from the prompt and template alone", verb,
                    (blank.size() == 1 ? "input " : "inputs ") + which, blank.size() == 1 ? "has" : "have",
                    template.slots().stream().map(x -> "{" + x + "}").collect(Collectors.joining(", ")));
        }
    }

    /** A field's value as the template writes it: a text, number or truth value; null and other objects are refused. */
    private static String fieldText(Object field, Object value, int number, String verb) {
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return String.valueOf(value);
        }
        // `[text: null]` was predicted on the text "null"; a list on its toString.
        throw new PromptTuneException(verb + ": field '" + field + "' of input " + number + " is "
                + (value == null ? "null" : "a " + value.getClass().getSimpleName() + " (" + value + ")")
                + "; allowed: a text (or a number)");
    }
}
