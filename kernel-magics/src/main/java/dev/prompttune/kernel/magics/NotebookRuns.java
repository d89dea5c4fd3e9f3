package dev.prompttune.kernel.magics;

import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.kernel.Bindings;
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
        String knownRuns = known.isEmpty() ? "" : "; known: " + String.join(", ", known);
        Object bound = Notebook.bound(name);
        if (bound != null) {
            // `%%groovy x3` whose value was 42: the name is taken, by something that is not a run.
            throw magic.error("'" + name + "' is a value of type " + bound.getClass().getSimpleName() + ", not a run" + knownRuns);
        }
        if (!Bindings.isIdentifier(name)) {
            // runs/x, ./out: meant as a record folder, which it is not
            String problem = Files.isDirectory(dir) ? "is a folder without a run record (no summary.json)"
                    : PathProblems.notDirectory(dir);
            throw magic.error("'" + name + "' is not a run of this notebook, and as a run record folder it " + problem
                    + knownRuns + " (a run record is runs/NAME-TIMESTAMP)");
        }
        throw magic.error("no run named '" + name + "' in this notebook" + knownRuns
                + " (train one with %%promptTune " + name + ", load one with %loadPrompt PATH as " + name
                + ", or give a run record directory)");
    }
}
