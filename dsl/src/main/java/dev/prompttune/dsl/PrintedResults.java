package dev.prompttune.dsl;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import java.util.HashSet;
import java.util.Set;

/**
 * The results a script printed itself ({@code println compare(a, b)}), so that {@code prompttune run}, which prints
 * a table at the end, does not print the same table a second time. Without this, a script ending in
 * {@code println compare(a, b)} printed the comparison twice: once by its {@code println}, and once more as the
 * table of every run the script made (the script's value, {@code println}'s, is no result).
 *
 * <p>The rule: the closing table is the one of the script's value when that is a result, printed unless the script
 * printed that same table already; else the one of every run the script made, printed unless the script printed
 * that table already or printed any result of its own (then it chose what to show). So {@code println X} as a
 * script's last statement shows the same as {@code X} as its last expression, for every result X.
 */
public final class PrintedResults {

    /** The texts of results, and of multi-line texts (a {@code run.table()}), the script printed; stripped. */
    private final Set<String> texts = new HashSet<>();
    private boolean anyResult;

    /** Whether a value is one of the results {@code prompttune run} prints as a table. */
    public static boolean isResult(Object value) {
        return value instanceof PromptTuneRun || value instanceof SweepResult || value instanceof RunComparison
                || value instanceof EnsembleResult || value instanceof Interpretation || value instanceof Evaluation
                || value instanceof BaselineResult;
    }

    /**
     * Forgets what earlier scripts printed: a notebook runs one script per {@code %%groovy} cell on the session's
     * experiments, and without this every table a session ever printed stayed in memory, though only the script
     * that has just run matters for its closing table.
     */
    synchronized void startScript() {
        texts.clear();
        anyResult = false;
    }

    /** Notes a value the script printed (with {@code print} or {@code println}). */
    synchronized void note(Object value) {
        if (value instanceof groovy.lang.GString g) {
            // println "accuracy: $run": the run's table is in the text; it counts as the run printed.
            for (Object embedded : g.getValues()) {
                if (isResult(embedded)) {
                    note(embedded);
                }
            }
        }
        if (isResult(value)) {
            anyResult = true;
            texts.add(value.toString().strip());
        } else if (value instanceof CharSequence text && text.toString().strip().contains("\n")) {
            texts.add(text.toString().strip()); // a table printed as text: println run.table()
        }
    }

    /**
     * Whether {@code table}, the closing table of a script whose value is {@code value}, would repeat what the
     * script printed: that same table, or (when the value is no result, so the table is of every run) any result.
     */
    public synchronized boolean alreadyShown(Object value, String table) {
        String shown = table.strip();
        // Within a longer text too: println 'result: ' + run.table() printed it.
        return texts.stream().anyMatch(t -> t.contains(shown)) || !isResult(value) && anyResult;
    }
}
