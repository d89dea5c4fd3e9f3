package dev.prompttune.core;

import java.util.List;

/**
 * Several problems of one spec's settings found together (data missing and calibrate with generate; a batch and an
 * evalBatch that do not fit). The message is the first, as a run reports it; {@link #problems()} holds them all, in
 * the order found, so that a script's checks report each at its own line and none hides another.
 */
public final class SettingProblems extends PromptTuneException {

    private final List<String> problems;

    /** @param problems one-line messages, at least one */
    public SettingProblems(List<String> problems) {
        super(problems.get(0));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, the first being {@link #getMessage()}. */
    public List<String> problems() {
        return problems;
    }

    /** Throws the problems found, if any: a {@link SettingProblems} holding them all. */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new SettingProblems(problems);
        }
    }

    /** The problems an exception holds: all of a {@link SettingProblems}, else its message alone. */
    public static List<String> of(PromptTuneException e) {
        return e instanceof SettingProblems s ? s.problems() : List.of(e.getMessage());
    }
}
