package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of the named classes the training split holds. A prompt learns only the answers its training targets
 * show it: trained on one class, it answers that class whatever the input (its dev and test accuracy is then the
 * class's share, which says nothing about the method); trained without some class, it never learns to answer it.
 * The first is refused, the second said once per run as a warning (a class kept for scoring on purpose stays
 * possible).
 */
final class TrainingClasses {

    private TrainingClasses() {}

    /** Examples of each class of {@code v} in {@code train}, in the verbalizer's class order. */
    static int[] counts(Split train, Verbalizer v) {
        int[] counts = new int[v.size()];
        for (Example e : train.examples()) {
            counts[v.classOf(e)]++;
        }
        return counts;
    }

    /**
     * Refuses a training split whose examples all have one class while {@code v} names two or more (checked after the
     * data's own validation and the check that {@code v} names two: an unknown label is the more specific error).
     */
    static void requireTwo(Split train, Verbalizer v) {
        int[] counts = counts(train, v);
        int only = lastPresent(counts);
        if (present(counts) < 2) {
            throw new PromptTuneException("the training data " + train.source() + " holds one class only: all "
                    + train.size() + " examples are '" + v.labels().get(only) + "', while the labels name "
                    + v.size() + " (" + String.join(", ", v.labels()) + "); a prompt trained on one class answers it "
                    + "whatever the input; allowed: training data with examples of at least two classes");
        }
    }

    /** One warning per class of {@code v} without a training example; empty when train holds every class. */
    static List<String> missing(Split train, Verbalizer v) {
        int[] counts = counts(train, v);
        List<String> out = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                out.add("class '" + v.labels().get(c) + "' (answer '" + v.targets().get(c) + "') has no example in "
                        + "the training data " + train.source() + ": the prompt is never trained to give that answer");
            }
        }
        return out;
    }

    /**
     * A warning when the dev split's examples all have one class while {@code v} names two or more: its accuracy then
     * only says how often the prompt gives that answer, and the best step is chosen on it; empty otherwise.
     */
    static List<String> oneClassDev(Split dev, Verbalizer v) {
        int[] counts = counts(dev, v);
        int only = lastPresent(counts);
        if (present(counts) != 1 || v.size() < 2) {
            return List.of();
        }
        return List.of("the dev data " + dev.source() + " holds one class only (all " + dev.size() + " examples are '"
                + v.labels().get(only) + "'): its score says only how often the prompt answers that, and the best step "
                + "is chosen on it; give dev examples of every class");
    }

    /** How many classes have at least one example. */
    private static int present(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c > 0 ? 1 : 0;
        }
        return n;
    }

    /** The last class with an example (the only one, when one is present); -1 when none is. */
    private static int lastPresent(int[] counts) {
        for (int c = counts.length - 1; c >= 0; c--) {
            if (counts[c] > 0) {
                return c;
            }
        }
        return -1;
    }
}
