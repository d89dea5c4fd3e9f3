package dev.prompttune.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dev or test examples whose input (the template rendered on them) is also a training example's input: their
 * scores measure how well the prompt fits its training data, not how it does on new data. Said once per split, as a
 * warning rather than an error, because fitting the training data on purpose is a legitimate check.
 */
final class SplitOverlap {

    /** Locations named in a warning; the count says how many more. */
    private static final int NAMED = 3;

    private SplitOverlap() {}

    /** One warning per split of {@code others} (null ones skipped) that shares inputs with {@code train}. */
    static List<String> describe(Split train, List<Split> others, Template template) {
        Set<String> seen = new HashSet<>();
        for (Example e : train.examples()) {
            seen.add(template.render(e));
        }
        List<String> out = new ArrayList<>();
        for (Split other : others) {
            if (other != null) {
                describe(seen, other, template).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The warning for {@code other} against the training inputs {@code seen}, or empty when it shares none. */
    private static Optional<String> describe(Set<String> seen, Split other, Template template) {
        List<String> shared = new ArrayList<>();
        List<Example> examples = other.examples();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (seen.contains(template.render(e))) {
                shared.add(e.line() > 0 ? String.valueOf(e.line()) : "#" + (i + 1));
            }
        }
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(which(other, shared) + " the same input as a training example: their " + other.name()
                + " score measures fitting the training data, not new data");
    }

    /**
     * "all 80 dev examples have" or "2 of 80 dev examples (lines 5, 62 of dev.jsonl) have": the subject of a warning
     * about the examples of {@code split} at {@code where} (line numbers, or "#i" for examples without one).
     */
    static String which(Split split, List<String> where) {
        return where.size() == split.size()
                ? "all " + split.size() + " " + split.name() + " examples have"
                : where.size() + " of " + split.size() + " " + split.name() + " examples ("
                        + (where.get(0).startsWith("#") ? "examples " : where.size() == 1 ? "line " : "lines ")
                        + String.join(", ", where.subList(0, Math.min(NAMED, where.size())))
                        + (where.size() > NAMED ? ", …" : "") + " of " + split.source() + ") have";
    }
}
