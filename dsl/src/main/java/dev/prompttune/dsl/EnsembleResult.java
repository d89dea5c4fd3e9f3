package dev.prompttune.dsl;

import java.util.List;
import java.util.Locale;

/**
 * Several prompts of one task voting (paper §7), all members scored in one batched pass per batch
 * ({@code ensemble(run1, run2, run3)}).
 *
 * @param members the members' run names
 * @param memberValues each member's accuracy on the split
 * @param predictions the ensemble's predicted class per example
 */
public record EnsembleResult(List<String> members, String split, double accuracy, List<Double> memberValues,
                             double meanMember, String bestMember, double bestMemberValue, int[] predictions) {

    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-32s %8s%n", "ensemble on " + split, "accuracy"));
        for (int i = 0; i < members.size(); i++) {
            b.append(String.format(Locale.ROOT, "%-32s %8.4f%n", "member: " + members.get(i), memberValues.get(i)));
        }
        b.append(String.format(Locale.ROOT, "%-32s %8.4f%n", "mean of members", meanMember));
        b.append(String.format(Locale.ROOT, "%-32s %8.4f%n", "ensemble (majority vote)", accuracy));
        return b.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
