package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.core.run.SpecJson;
import dev.prompttune.core.spec.Home;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.spec.TaskResolver;
import dev.prompttune.core.train.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's prompt as a file and back ({@code savePrompt}/{@code loadPrompt}): {@code NAME.safetensors} +
 * {@code NAME.json} (see {@link PromptFile}). A prompt file carries what is needed to use it again (base model,
 * task, template, labels, placement), so a loaded prompt predicts, scores and exports like the run it came from.
 */
final class PromptFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PromptFiles.class);

    /** Failed records already named in this process (a script's checks read a literal record before the run does). */
    private static final Set<Path> WARNED_FAILED = ConcurrentHashMap.newKeySet();

    /**
     * The metadata of each prompt loaded from a file, by the run's values array (arrays hash by identity; a weak key
     * goes with its run). Saving such a run again writes the file's metadata, above all the embedding fingerprint of
     * the model it was trained on: rebuilt from the spec it would have none, and a prompt loaded with
     * {@code anyModel: true} would come back as one that passes the model check.
     */
    private static final Map<float[], PromptMetadata> LOADED = Collections.synchronizedMap(new WeakHashMap<>());

    private PromptFiles() {
    }

    /**
     * Writes the run's best prompt to {@code path} ({@code DIR/NAME}, extension optional, checked by
     * {@link Experiments#savePromptTarget}); returns the .safetensors file.
     */
    static Path save(PromptTuneRun run, Path path) {
        PromptMetadata meta;
        if (run.record() != null && Files.isRegularFile(run.record().resolve("prompt.safetensors"))) {
            meta = PromptFile.load(run.record().resolve("prompt.safetensors")).metadata();
        } else {
            // A prompt file saved again keeps its own metadata: its model's fingerprint, task, seed, data.
            PromptMetadata loaded = loadedMetadata(run);
            meta = loaded != null ? loaded : fromSpec(run);
        }
        return PromptFile.save(path, run.prompt(), run.length(), run.width(), meta);
    }

    /**
     * Refuses a path inside a run record ({@code runs/X/prompt}, {@code runs/X/checkpoint}, with or without an
     * extension): the record's files are its run's, and written over the record no longer says what the run gave (nor
     * can it be resumed). A PEFT adapter folder (one holding adapter_config.json) likewise: its
     * {@code adapter_model.safetensors} was replaced by a prompt file of another shape, and the adapter no longer loaded.
     *
     * @param verb the writer, for the message ({@code savePrompt}, {@code import-peft})
     */
    static void requireOutsideRecordsAndAdapters(Path path, String verb) {
        Path base = PromptFile.stripExtension(path);
        Path folder = base.toAbsolutePath().getParent();
        if (base.getFileName() == null || folder == null) {
            return;
        }
        String allowed = "; allowed: a path outside run records and PEFT adapters (e.g. saved/NAME)";
        if (Files.isRegularFile(folder.resolve(PeftAdapter.CONFIG))) {
            throw new PromptTuneException(verb + ": " + path + " is inside PEFT adapter " + folder + ", whose files PEFT reads"
                    + allowed);
        }
        if (!(Files.isRegularFile(folder.resolve("summary.json")) || Files.isRegularFile(folder.resolve("spec.json")))) {
            return;
        }
        // Any name there: savePrompt(a, 'runs/X/checkpoint') wrote over the checkpoint, 'runs/X/spec' over spec.json.
        throw new PromptTuneException(verb + ": " + path + (base.getFileName().toString().equals("prompt")
                ? " is the prompt of run record " + folder + ", which only its run writes"
                : " is inside run record " + folder + ", whose files only its run writes") + allowed);
    }

    /**
     * A prompt back as a run: a run record directory ({@code runs/NAME-TIME}), the prompt inside one, or a prompt
     * file written by {@link #save}. The prompt passes {@link PromptCheck} against the model it names (width,
     * finite values, and its embedding fingerprint unless {@code anyModel}).
     */
    static PromptTuneRun load(Path path, boolean anyModel) {
        Path record = recordOf(path);
        if (record != null) {
            return loadRecord(record, anyModel);
        }
        if (Files.isRegularFile(path.resolve(PeftAdapter.CONFIG))) {
            // An adapter folder is no prompt file: it said "prompt file DIR.safetensors does not exist (DIR is a directory)".
            throw new PromptTuneException("prompt file " + path + " is a PEFT adapter folder; allowed here: a prompt file or "
                    + "run record; read an adapter with importPeft('" + path + "') or train from it with init file('"
                    + path + "')");
        }
        PromptFile.Loaded loaded = PromptFile.load(path);
        PromptMetadata m = loaded.metadata();
        String name = loaded.file().getFileName().toString().replaceFirst("\\.safetensors$", "");
        if (m.baseModel() == null || m.task() == null && !m.hyperParameters().containsKey(PromptTuning.DATA_FILES)) {
            throw new PromptTuneException("prompt file " + loaded.file() + " does not say which model and task it was "
                    + "trained for (its metadata lacks base model or task); use it as an initialisation instead: init file('"
                    + path + "')");
        }
        PromptTuneSpec built;
        PromptCheck.Target target;
        try {
            built = specOf(m, name, loaded);
            target = target(built);
        } catch (PromptTuneException | java.nio.file.InvalidPathException e) {
            // The settings come from the file's metadata, not from the script: say so, or "placement 'sideways' is not
            // known" points at a line that set no placement.
            throw e.getMessage().startsWith("prompt file ") ? e : new PromptTuneException("prompt file " + loaded.file()
                    + " records a setting that cannot be used: " + e.getMessage() + " (its metadata edited by hand?)", e);
        }
        PromptCheck.check(loaded, target, anyModel);
        String metric = m.bestMetric() == null ? "accuracy" : m.bestMetric();
        double dev = m.bestValue() == null ? Double.NaN : m.bestValue();
        int bestStep = m.bestStep() == null ? 0 : m.bestStep().intValue();
        LOADED.put(loaded.values(), m);
        return new PromptTuneRun(built, name, null, metric, dev, bestStep, Double.NaN, Map.of(), bestStep, Double.NaN,
                0, (long) loaded.length() * loaded.width(), 0, StopReason.LOADED, loaded.values(), loaded.length(), loaded.width(),
                List.of(), List.of(), List.of());
    }

    /**
     * The settings a prompt file records, as a spec: its model, task, template, labels, placement, initialiser,
     * precision and scoring. The labels are checked as a run checks them (a broken verbalizer failed at predict).
     */
    private static PromptTuneSpec specOf(PromptMetadata m, String name, PromptFile.Loaded loaded) {
        PromptTuneSpec.Builder spec = PromptTuneSpec.builder().name(name).model(shortModelName(m.baseModel()))
                .length(loaded.length());
        task(spec, m, loaded.file());
        if (m.template() != null) {
            try {
                dev.prompttune.core.data.Template.of(m.template()); // parsed now: a broken one failed at predict
            } catch (PromptTuneException e) {
                throw new PromptTuneException("prompt file " + loaded.file() + " records a broken template: " + e.getMessage()
                        + "; allowed: the metadata its run wrote (edited by hand?)", e);
            }
            spec.template(m.template());
        }
        if (m.verbalizer() != null && !m.verbalizer().isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>();
            m.verbalizer().forEach((k, v) -> labels.put(k, String.valueOf(v)));
            spec.labels(labels);
        }
        if (m.placement() != null) {
            spec.placement(m.placement());
        }
        PromptInit init = init(m);
        if (init != null) {
            spec.init(init); // how the prompt began (nearest marks label words only for a labels-initialised one)
        }
        if (m.hyperParameters().get("precision") instanceof String precision) {
            spec.precision(precision); // the precision its fingerprint was taken at
        }
        // How its run scored it; a file written before these were kept has the defaults, and the metric it was
        // selected by.
        PromptTuning.applyScoringSettings(m.hyperParameters(), spec);
        if (!(m.hyperParameters().get("metric") instanceof String) && m.bestMetric() != null
                && PromptTuneSpec.METRICS.contains(m.bestMetric())) {
            spec.metric(m.bestMetric());
        }
        if (Boolean.TRUE.equals(m.hyperParameters().get("calibrate"))) {
            spec.calibrate(true); // the prompt was selected on calibrated scores: predict the same way
        }
        if (Boolean.TRUE.equals(m.hyperParameters().get("fastDevRun"))) {
            spec.fastDevRun(true); // a smoke-test prompt stays marked as one wherever it is shown
        }
        PromptTuneSpec built = spec.build();
        if (built.labels() != null) {
            dev.prompttune.core.data.Verbalizer.of(built.labels());
        }
        return built;
    }

    /**
     * The prompt's task: the registered task it names, or the data files a file-based task's prompt records (the
     * task's name is then its training file's); a prompt of files that records none is refused with what to load.
     */
    private static void task(PromptTuneSpec.Builder spec, PromptMetadata m, Path file) {
        if (m.task() != null && TaskResolver.registered().contains(m.task())) {
            spec.data(m.task());
            return;
        }
        if (m.hyperParameters().get(PromptTuning.DATA_FILES) instanceof Map<?, ?> files && files.get("train") instanceof String train) {
            spec.train(Path.of(train));
            if (files.get("dev") instanceof String dev) {
                spec.dev(Path.of(dev));
            }
            if (files.get("test") instanceof String test) {
                spec.test(Path.of(test));
            }
            return;
        }
        throw new PromptTuneException("prompt file " + file + " was trained on task '" + m.task() + "', which is not a "
                + "registered task " + TaskResolver.registeredText() + ", and it does not record the data files it came from; "
                + "load its run record instead (loadPrompt('runs/NAME-TIME')), or use it as an initialisation: init file('"
                + file + "')");
    }

    /**
     * The initialiser a prompt file records, or null: none recorded, or one not readable. A file's is kept as its
     * path (the run shows how it began): predicting, scoring and ensembles never read it, so it may be gone.
     */
    private static PromptInit init(PromptMetadata m) {
        Object kind = m.init().get("kind");
        if (!(kind instanceof String k) || !PromptInit.KINDS.contains(k)) {
            return null;
        }
        try {
            return SpecJson.init(new com.google.gson.Gson().toJsonTree(m.init()).getAsJsonObject());
        } catch (RuntimeException unreadable) {
            return null; // a hand-edited description: the prompt is still usable, described by the default
        }
    }

    /** The metadata of the prompt file {@code run} was loaded from, or null when it was not loaded from one. */
    static PromptMetadata loadedMetadata(PromptTuneRun run) {
        return LOADED.get(run.prompt());
    }

    /** A run record directory as a run, its prompt checked like any prompt file (see {@link #load}). */
    static PromptTuneRun loadRecord(Path record, boolean anyModel) {
        PromptTuneRun run = RunRecord.load(record);
        PromptCheck.check(PromptFile.load(record.resolve("prompt.safetensors")), target(run.spec()), anyModel);
        if (run.stopReason() == StopReason.FAILED && WARNED_FAILED.add(record.toAbsolutePath().normalize())) {
            // Usable (a failed cluster step keeps the best prompt so far), but its scores are not a finished run's.
            if (run.steps() == 0) {
                LOG.warn("{} is the record of a run that FAILED before any step trained: its prompt is the initial, "
                        + "untrained one", record);
            } else {
                LOG.warn("{} is the record of a run that FAILED after {} step(s): its prompt is the best it had then; "
                        + "prompttune resume {} finishes it", record, run.steps(), record);
            }
        }
        return run;
    }

    /** The model a spec names, as what a prompt is checked against. */
    static PromptCheck.Target target(PromptTuneSpec spec) {
        return PromptCheck.Target.ofCheckpoint(spec.model(), ModelResolver.resolve(spec.model()), spec.precision());
    }

    /** A shipped model's directory ({@code HOME/models/NAME}) as its registered name, so the prompt travels. */
    private static String shortModelName(String model) {
        try {
            Path dir = Path.of(model).toAbsolutePath().normalize();
            if (dir.getParent() != null && dir.getParent().equals(Home.models().toAbsolutePath().normalize())) {
                return dir.getFileName().toString();
            }
        } catch (RuntimeException ignored) {
            // not a path: already a name or a hub id
        }
        return model;
    }

    /** The record directory {@code path} names (itself, or the folder of its prompt.safetensors), else null. */
    private static Path recordOf(Path path) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("summary.json"))) {
            return path;
        }
        Path parent = path.toAbsolutePath().getParent();
        String file = path.getFileName() == null ? "" : path.getFileName().toString();
        if (parent != null && file.startsWith("prompt.") && Files.isRegularFile(parent.resolve("summary.json"))) {
            return parent;
        }
        return null;
    }

    /** The spec values a loaded prompt must keep (how to predict, and whether it is a smoke test). */
    private static Map<String, Object> hyperParameters(PromptTuneSpec s) {
        Map<String, Object> out = new LinkedHashMap<>(PromptTuning.scoringSettings(s));
        if (s.data() == null) {
            out.put(PromptTuning.DATA_FILES, PromptTuning.dataFiles(s)); // where a file-based task's data is
        }
        if (s.calibrate()) {
            out.put("calibrate", true);
        }
        if (s.fastDevRun()) {
            out.put("fastDevRun", true);
        }
        return out;
    }

    private static PromptMetadata fromSpec(PromptTuneRun run) {
        PromptTuneSpec s = run.spec();
        // No labels in the spec: the task's own (task.json) apply, and loading the prompt resolves them again.
        Map<String, Object> verbalizer = s.labels() == null ? Map.of() : new LinkedHashMap<>(s.labels());
        return PromptMetadata.builder().baseModel(s.model()).task(s.data()).template(s.template()).verbalizer(verbalizer)
                .placement(s.placement().key()).init(s.init().describe())
                .hyperParameters(hyperParameters(s))
                .best(run.metric(), Double.isNaN(run.dev()) ? null : run.dev(), (long) run.bestStep()).build();
    }
}
