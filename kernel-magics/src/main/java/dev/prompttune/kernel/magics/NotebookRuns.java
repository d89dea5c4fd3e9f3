package dev.prompttune.kernel.magics;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.kernel.Notebook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the magics of one kernel share: the runs by name (trained, loaded or made by a Groovy cell), the prompt
 * files saved in this session, and the process-wide model {@link Session} (so a model is loaded once per kernel).
 */
public final class NotebookRuns {

    private static final NotebookRuns INSTANCE = new NotebookRuns();

    private final Map<String, PromptTuneRun> runs = new LinkedHashMap<>();
    private final List<Path> savedPrompts = new ArrayList<>();

    private NotebookRuns() {
    }

    public static NotebookRuns get() {
        return INSTANCE;
    }

    /** An {@link Experiments} on the shared session that reports to {@code listeners}. */
    public Experiments experiments(TrainingListener... listeners) {
        Experiments ex = new Experiments(Session.shared());
        for (TrainingListener l : listeners) {
            ex.listener(l);
        }
        return ex;
    }

    public synchronized void put(String name, PromptTuneRun run) {
        runs.put(name, run);
    }

    public synchronized Map<String, PromptTuneRun> runs() {
        return new LinkedHashMap<>(runs);
    }

    public synchronized void saved(Path prompt) {
        savedPrompts.remove(prompt);
        savedPrompts.add(prompt);
    }

    public synchronized List<Path> savedPrompts() {
        return List.copyOf(savedPrompts);
    }

    /**
     * The run called {@code name}: one of this notebook's runs, a Java variable a magic bound, or a run record
     * directory on disk.
     */
    public PromptTuneRun find(MagicSignature magic, String name) {
        PromptTuneRun run;
        synchronized (this) {
            run = runs.get(name);
        }
        if (run != null) {
            return run;
        }
        if (Notebook.bound(name) instanceof PromptTuneRun bound) {
            return bound;
        }
        Path dir = Path.of(name);
        if (Files.isRegularFile(dir.resolve("summary.json"))) {
            return experiments().load(dir.toString()); // its prompt checked against the model, as %loadPrompt does
        }
        List<String> known = List.copyOf(runs().keySet());
        throw magic.error("no run named '" + name + "' in this notebook"
                + (known.isEmpty() ? "" : "; known: " + String.join(", ", known))
                + " (train one with %%promptTune " + name + ", load one with %loadPrompt PATH as " + name
                + ", or give a run record directory)");
    }
}
