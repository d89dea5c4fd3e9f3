package dev.prompttune.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Examples whose input fields (the template's slots) are all empty or blank: the model reads nothing of them but the
 * template's own words, so in training they teach only the label prior and in scoring they are guesses. Usually a
 * broken export (a column that came out empty). Said once per split, as a warning: one such row is no error.
 */
final class EmptyInputs {

    private EmptyInputs() {}

    /** One warning per split (null ones skipped) holding examples with nothing in any of the template's slots. */
    static List<String> describe(List<Split> splits, Template template) {
        List<String> out = new ArrayList<>();
        if (template.slots().isEmpty()) {
            return out;
        }
        for (Split split : splits) {
            if (split == null) {
                continue;
            }
            List<String> empty = new ArrayList<>();
            List<Example> examples = split.examples();
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                if (template.readsNothingOf(e)) {
                    empty.add(e.line() > 0 ? String.valueOf(e.line()) : "#" + (i + 1));
                }
            }
            if (!empty.isEmpty()) {
                out.add(SplitOverlap.which(split, empty) + " nothing in " + slots(template) + ": the model reads only "
                        + "the template's own words for them");
            }
        }
        return out;
    }

    private static String slots(Template template) {
        List<String> names = template.slots().stream().map(s -> "'" + s + "'").toList();
        return names.size() == 1 ? "their field " + names.get(0) : "any of their fields " + String.join(", ", names);
    }
}
