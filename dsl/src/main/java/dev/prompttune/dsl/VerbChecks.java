package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.PromptTuning;
import java.util.List;
import java.util.Map;

/**
 * The mistakes in a script's verb calls ({@code loadPrompt 'p'}, {@code nearest(a, 0)}, {@code ensemble([])}) that
 * are known before the script runs, found with its other mistakes instead of after earlier blocks have trained: the
 * files the verbs read, checked as the verb checks them (a prompt file's metadata, values and model fingerprint; a
 * run record; a PEFT adapter; a data file), and literal arguments the verb refuses.
 *
 * <p>Only arguments known before the script runs are checked ({@link DslLiterals}), and only files the script does
 * not write itself ({@link ScriptOutputs}): a file saved by an earlier line is read when the script gets there.
 */
final class VerbChecks {

    private VerbChecks() {}

    /**
     * The message of the first problem of this call, or null.
     *
     * @param values the call's arguments as {@link DslLiterals} evaluates them ({@link DslLiterals#NOT_CONSTANT}
     *     when not known before the script runs)
     */
    static String problem(String verb, List<Object> values, ScriptOutputs outputs) {
        if (verb == null) {
            return null; // a computed name ("$m"()): not known before the script runs
        }
        try {
            check(verb, values, outputs);
            return null;
        } catch (PromptTuneException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return null; // not a mistake of the script's: the run says what it is
        }
    }

    private static void check(String verb, List<Object> values, ScriptOutputs outputs) {
        int n = values.size();
        Object last = n == 0 ? DslLiterals.NOT_CONSTANT : values.get(n - 1);
        switch (verb) {
            case "loadPrompt", "load" -> { // (path) or (options, path)
                Boolean anyModel = readable(last, outputs) && n <= 2 ? anyModel(values, verb) : null;
                if (anyModel != null && verb.equals("load")) {
                    Experiments.loadRecord((String) last, anyModel);
                } else if (anyModel != null) {
                    Experiments.loadPromptFile((String) last, anyModel);
                }
            }
            case "evaluate" -> {
                if (n == 1 && readable(last, outputs)) {
                    Experiments.loadRecord((String) last, false); // evaluate 'runs/<id>'
                } else if (n == 2 && readable(last, outputs)) {
                    Experiments.existing((String) last); // evaluate(run, 'other.csv')
                }
            }
            case "resume" -> {
                if (n == 1 && readable(last, outputs)) {
                    PromptTuning.requireResumable(Experiments.recordDir((String) last));
                }
            }
            case "importPeft" -> {
                if (n == 1 && readable(last, outputs)) {
                    Experiments.readPeft((String) last);
                }
            }
            case "nearest" -> {
                if (n == 2 && last instanceof Integer k && k < 1) {
                    // As NearestTokens says it, less the vocabulary size, which only the loaded model knows.
                    throw new PromptTuneException("nearest tokens: k is " + k + "; allowed: 1 <= k <= the model's vocabulary size");
                }
            }
            case "savePrompt" -> {
                if (n == 2 && (last == null || last instanceof String)) {
                    Experiments.savePromptTarget((String) last);
                }
            }
            case "exportPeft" -> {
                if (n == 2 && (last == null || last instanceof String)) {
                    Experiments.exportPeftTarget((String) last);
                }
            }
            case "compare", "ensemble" -> {
                if (n == 0 || n == 1 && last instanceof List<?> l && l.isEmpty()) {
                    throw new PromptTuneException(verb.equals("compare") ? Experiments.NO_RUNS_TO_COMPARE : Experiments.NO_RUNS_TO_ENSEMBLE);
                }
            }
            default -> { }
        }
    }

    /** Whether a path argument is known (a text, or null and so refused) and not a file the script writes itself. */
    private static boolean readable(Object value, ScriptOutputs outputs) {
        return (value == null || value instanceof String) && !outputs.mayWrite(value);
    }

    /** {@code anyModel: true} of a call's leading options map: false without one, null when it is not known. */
    private static Boolean anyModel(List<Object> values, String verb) {
        if (values.size() == 1) {
            return false;
        }
        return values.get(0) instanceof Map<?, ?> options ? AnyModel.of(castOptions(options), verb) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castOptions(Map<?, ?> options) {
        return (Map<String, ?>) options;
    }
}
