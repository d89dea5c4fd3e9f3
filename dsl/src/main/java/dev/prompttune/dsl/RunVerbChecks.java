package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.List;
import java.util.function.Predicate;

/**
 * Checks of a verb against the runs it is given, when each run is a variable holding a {@code promptTune} block whose
 * settings are known before the script runs ({@code def a = promptTune { … }}): what the verb would refuse once the
 * runs had trained is refused before anything trains. Each check is the one the verb makes, with its words.
 */
final class RunVerbChecks {

    private RunVerbChecks() {}

    /**
     * The problem of {@code verb} called with {@code runs} (the specs of its run arguments, null where one is not
     * known) and {@code values} (its arguments as known values, {@link DslLiterals#NOT_CONSTANT} where not), or null;
     * a file the script writes before the call ({@code writtenByScript}) is read when the script gets there.
     */
    static String problem(String verb, List<PromptTuneSpec> runs, List<Object> values, Predicate<Object> writtenByScript) {
        try {
            check(verb, runs, values, writtenByScript);
            return null;
        } catch (PromptTuneException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return null; // not a mistake the script shows: the run says what it is
        }
    }

    /**
     * Refuses the problems of {@code file} read as {@code run}'s test split; the run's own files' problems are said at
     * its block, not here (they were blamed on the evaluate line, and hid the file's own).
     */
    private static void requireReadable(PromptTuneSpec run, String file) {
        java.nio.file.Path path = Experiments.existing(file);
        try {
            TaskSetup.resolve(run.toBuilder().test(path).build());
        } catch (PromptTuneException e) {
            if (e.getMessage().contains(file)) {
                throw e;
            }
            try {
                // The run's dev file at fault: the file alone, in the places of dev and test.
                TaskSetup.resolve(run.toBuilder().dev(path).test(path).build());
            } catch (PromptTuneException again) {
                if (again.getMessage().contains(file)) {
                    throw again;
                }
            }
        }
    }

    private static void check(String verb, List<PromptTuneSpec> runs, List<Object> values, Predicate<Object> writtenByScript) {
        PromptTuneSpec first = runs.isEmpty() ? null : runs.get(0);
        Object second = values.size() > 1 ? values.get(1) : DslLiterals.NOT_CONSTANT;
        switch (verb) {
            case "exportPeft" -> {
                if (first != null) {
                    PeftFiles.requirePrefix("exportPeft", first.name(), first.placement());
                }
            }
            case "evaluate" -> {
                if (first != null && runs.size() == 1 && values.size() == 2 && second instanceof String file
                        && !writtenByScript.test(file)) {
                    // evaluate(run, 'other.jsonl'): the file is read with the run's template and labels.
                    requireReadable(first, file);
                }
            }
            case "predict" -> {
                if (first != null && values.size() == 2 && second != DslLiterals.NOT_CONSTANT
                        && !(second instanceof DslLiterals.Failed)) {
                    // The inputs as predict reads them (a map's fields, a text for a one-slot template), each rendered.
                    TaskData task = TaskSetup.toPredict(first).data();
                    for (Example example : PredictInputs.examples(task, second instanceof List<?> l ? l : List.of(second),
                            "predict", 1)) {
                        task.template().render(example);
                    }
                }
            }
            case "ensemble" -> {
                if (runs.size() > 1 && !runs.contains(null)) {
                    EnsembleMembers.requireSharedSpecs(runs);
                }
            }
            default -> { }
        }
    }
}
