package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.Suggestions;
import dev.prompttune.core.promptfile.PromptCheck;
import java.util.Map;

/**
 * The DSL's one override of a prompt file's model check ({@link PromptCheck}): the named argument
 * {@code anyModel: true}, as in {@code init file('p.safetensors', anyModel: true)} and
 * {@code loadPrompt('p', anyModel: true)}.
 */
final class AnyModel {

    static final String NAME = "anyModel";

    private AnyModel() {}

    /** Whether {@code options} (a call's named arguments) ask for any model; anything else is refused by name. */
    static boolean of(Map<String, ?> options, String call) {
        for (Map.Entry<String, ?> e : options.entrySet()) {
            if (!NAME.equals(e.getKey())) {
                throw new PromptTuneException(call + ": option '" + e.getKey() + "' is not known"
                        + Suggestions.didYouMean(e.getKey(), java.util.List.of(NAME)) + "; allowed: " + NAME + ": true");
            }
            if (!(e.getValue() instanceof Boolean)) {
                throw new PromptTuneException(call + ": " + NAME + " is " + e.getValue() + "; allowed: true or false");
            }
        }
        return Boolean.TRUE.equals(options.get(NAME));
    }
}
