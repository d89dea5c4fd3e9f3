package dev.prompttune.core.run;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.DataInterrupts;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.data.VerbalizerTokens;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.InitContext;
import dev.prompttune.core.prompt.ResidualReparam;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.StepGradients;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.TrainingResult;
import dev.prompttune.core.train.TrainingSettings;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import dev.prompttune.core.train.optim.OptimizerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prompt tuning as one call: {@code PromptTuning.run(spec, listeners)}. Everything that can be checked without the
 * model's weights is checked first (data files, template slots, labels, empty splits, model directory and width,
 * device, precision); then the frozen model is loaded (once per session), the prompt initialised, trained with
 * the given listeners and a run record, and evaluated on test alongside the requested baselines. An interrupted
 * run (the thread's interrupt: a notebook's stop button, the command line's Ctrl-C) is scored and recorded the same
 * way, marked INTERRUPTED; a run whose first step already had no finite loss is recorded as FAILED and throws
 * {@link RunFailed}. A run that stopped before its end (interrupted, failed on a cluster, killed) goes on from its
 * record's checkpoint with {@link #resume}, to the result the uninterrupted run would have had.
 */
public final class PromptTuning {

    private static final Logger LOG = LoggerFactory.getLogger(PromptTuning.class);

    private final Session session;

    public PromptTuning(Session session) {
        this.session = session;
    }

    /** Runs a spec in the shared session. */
    public static PromptTuneRun run(PromptTuneSpec spec, TrainingListener... listeners) {
        return new PromptTuning(Session.shared()).execute(spec, listeners(listeners));
    }

    /** The listeners given to a static entry point; null (the array or one of them) is refused by name. */
    private static List<TrainingListener> listeners(TrainingListener[] listeners) {
        if (listeners == null) {
            return List.of();
        }
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == null) {
                throw new PromptTuneException("listener " + (i + 1) + " of " + listeners.length + " is null; allowed: a "
                        + "TrainingListener, or none");
            }
        }
        return List.of(listeners);
    }

    /**
     * Everything checkable before loading weights; returns the resolved pieces. The spec to run is
     * {@link Prepared#spec()}: the one given, or capped when this is a fast dev run ({@link FastDevRun}).
     */
    public Prepared prepare(PromptTuneSpec requested) {
        PromptTuneSpec spec = asRun(requested);
        Prepared prepared = resolve(spec);
        if (spec.cluster() != null) {
            ClusterBackends.require(spec.cluster()); // on the class path, and able to start, before any weights load
        }
        checkStepMemory(spec, prepared, session);
        return prepared;
    }

    /**
     * Refuses verbalizer words the model's tokenizer cannot tell apart or cannot spell ({@link VerbalizerTokens}: two
     * classes' words that become the same tokens, a word that becomes nothing or unknown tokens), as the run would once
     * it tokenizes the task. Needs only the tokenizer: cheap enough for a script's compile-time checks.
     */
    public static void checkLabelTokens(PromptTuneSpec spec, Prepared prepared, Session session) {
        VerbalizerTokens.of(prepared.task().data().verbalizer(), session.tokenizer(prepared.modelDir()),
                spec.maxTargetLength());
    }

    /**
     * Refuses a batch or prompt length whose training step cannot fit in this machine's memory ({@link StepMemory}),
     * on a CPU run (host memory holds the activations only there). Learning the device starts the engine. The
     * training split is tokenized for its input lengths, through the cache the run reads it from; the model's weights
     * count unless {@code session} holds them already.
     */
    public static void checkStepMemory(PromptTuneSpec spec, Prepared prepared, Session session) {
        if (Session.device(spec.device()).isGpu()) {
            return;
        }
        T5Tokenizer tokenizer = session.tokenizer(prepared.modelDir());
        TaskData data = prepared.task().data();
        // The run's first tokenizing of its training data (cached): Ctrl-C stops it (DataInterrupts).
        TokenizedSplit train = DataInterrupts.during(() -> data.tokenize(data.train(), tokenizer, spec.maxInputLength(),
                spec.maxTargetLength()));
        int[] lengths = new int[train.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = train.inputIds(i).length;
        }
        int evalRows = Math.max(data.dev().map(Split::size).orElse(0), data.test().map(Split::size).orElse(0));
        StepMemory.check(spec, prepared.config(), StepMemory.Batches.of(spec, lengths, evalRows),
                session.holds(prepared.modelDir(), spec.precision(), spec.device()));
    }

    /**
     * What {@link #prepare} checks except the device (the one check that starts the engine): data, template, labels,
     * model directory and config, prompt file width. Cheap enough for a script's compile-time checks.
     */
    public static Prepared resolve(PromptTuneSpec spec) {
        return resolve(spec, TaskSetup.resolve(spec));
    }

    /**
     * A spec resolved for predicting only ({@link TaskSetup#toPredict}: a loaded prompt whose training files are gone
     * still predicts from its template and labels); no step-memory check, since nothing trains.
     */
    public Prepared prepareToPredict(PromptTuneSpec requested) {
        PromptTuneSpec spec = asRun(requested);
        return resolveForScoring(spec, TaskSetup.toPredict(spec));
    }

    /**
     * A spec resolved for scoring a trained prompt on its data (evaluate, ensemble, eval of a record): the task and
     * model as {@link #prepare} checks them, but not the prompt file it began from (scoring does not read it: a run
     * whose init file was moved since still scores), and no step-memory check, since nothing trains.
     */
    public Prepared prepareToScore(PromptTuneSpec requested) {
        PromptTuneSpec spec = asRun(requested);
        return resolveForScoring(spec, TaskSetup.resolve(spec));
    }

    /** The spec as it runs: capped when this is a fast dev run ({@link FastDevRun}); a null one is refused. */
    private static PromptTuneSpec asRun(PromptTuneSpec requested) {
        if (requested == null) {
            throw new PromptTuneException("the spec is null; allowed: a spec (PromptTuneSpec.builder()…build())");
        }
        return FastDevRun.apply(requested);
    }

    /** {@link #resolve(PromptTuneSpec)} with the spec's task already resolved ({@code task}). */
    public static Prepared resolve(PromptTuneSpec spec, TaskSetup task) {
        Prepared prepared = resolveForScoring(spec, task);
        Path modelDir = prepared.modelDir();
        if (spec.init() instanceof FileInit file) {
            // Width, values, length and the embedding fingerprint now, before any weights load (the fingerprint from
            // the checkpoint's embedding table alone): a sweep whose second prompt file belongs to another model is
            // refused before its first point trains. FileInit.values checks it again against the loaded model.
            PromptFile.Loaded loaded = file.load(PromptCheck.Target.ofCheckpoint(spec.model(), modelDir, spec.precision()),
                    spec.length());
            if ("fp16".equals(spec.precision())) {
                PromptCheck.requireFitsFp16("init file " + loaded.file(), loaded.values(), loaded.width(),
                        spec.length() * loaded.width());
            }
        }
        return prepared;
    }

    /** {@link #resolve(PromptTuneSpec, TaskSetup)} but the init file: the model directory and its config. */
    private static Prepared resolveForScoring(PromptTuneSpec spec, TaskSetup task) {
        Path modelDir = ModelResolver.resolve(spec.model());
        return new Prepared(spec, task, modelDir, T5Config.load(modelDir));
    }

    /** A spec resolved and validated, not yet run. */
    public record Prepared(PromptTuneSpec spec, TaskSetup task, Path modelDir, T5Config config) {}

    public PromptTuneRun execute(PromptTuneSpec requested, List<TrainingListener> listeners) {
        return train(prepare(requested), listeners == null ? List.of() : listeners, null);
    }

    /**
     * Resumes the run recorded in {@code recordDir} from its checkpoint ({@link RunCheckpoint}), in the shared
     * session, with the spec of its {@code spec.json}: the result, the record and the prompt are those the
     * uninterrupted run would have given.
     */
    public static PromptTuneRun resume(Path recordDir, TrainingListener... listeners) {
        return new PromptTuning(Session.shared()).resume(recordDir, null, listeners(listeners));
    }

    /**
     * Resumes the run recorded in {@code recordDir} from its checkpoint: the training continues at the checkpoint's
     * step, into the same record (its metrics after that step are dropped, its summary rewritten at the end).
     *
     * @param expected null to run the record's {@code spec.json}; else a spec that must equal it (an error names every
     *                 differing setting)
     */
    public PromptTuneRun resume(Path recordDir, PromptTuneSpec expected, List<TrainingListener> listeners) {
        if (recordDir == null) {
            throw new PromptTuneException("resume: the run record folder is null; allowed: a run record folder (runs/NAME-TIMESTAMP)");
        }
        listeners = listeners == null ? List.of() : listeners;
        RecordWriterLock.requireNoWriter(recordDir); // before spec.json is read: closing a file drops its locks
        PromptTuneSpec recorded = requireResumable(recordDir);
        if (expected != null) {
            SpecDifferences.require(recordDir.resolve("spec.json"), recorded, FastDevRun.apply(expected));
        }
        Prepared prepared = prepare(recorded);
        if (prepared.spec().fastDevRun() && !recorded.fastDevRun()) {
            throw new PromptTuneException(recordDir + " is a full run, but the fast dev run switch is on ("
                    + FastDevRun.ENV + " or -D" + FastDevRun.PROPERTY + "); allowed: resuming it with the switch off");
        }
        RunEnvironment.threadsChange(recordDir).ifPresent(LOG::warn);
        return train(prepared, listeners, recordDir);
    }

    /**
     * The recorded spec of a run record that can be resumed: its spec.json read, its data found, its checkpoint there
     * (what {@link #resume} checks of the files alone; a script's checks use it before anything runs).
     */
    public static PromptTuneSpec requireResumable(Path recordDir) {
        PromptTuneSpec recorded = RunRecord.spec(recordDir);
        RunRecord.requireDataFound(recordDir, recorded);
        RunCheckpoint.requireExists(recordDir);
        return recorded;
    }

    /** A new run ({@code resumeDir} null) or the resumed run of that record. */
    private PromptTuneRun train(Prepared prepared, List<TrainingListener> listeners, Path resumeDir) {
        ExperimentContext experiment = ExperimentContext.of(session, prepared);
        PromptTuneSpec spec = experiment.spec();
        T5Tokenizer tokenizer = experiment.tokenizer();
        TaskArrays arrays = experiment.arrays();
        T5Model model = experiment.model();
        NDManager root = session.manager();
        Scorer scorer = experiment.scorer();

        List<String> warnings = new ArrayList<>();
        if (resumeDir == null) {
            // Said here, once a run starts, not where the task is resolved (a script's checks resolve it too).
            prepared.task().data().emptyInputWarnings().forEach(LOG::warn);
            prepared.task().data().overlapWarnings().forEach(LOG::warn);
            prepared.task().data().missingClassWarnings().forEach(LOG::warn);
            int workers = spec.workers();
            int trainSize = arrays.train().size();
            long perStep = spec.examplesPerStep(trainSize); // the micro-batches of one step may repeat examples
            if (spec.batch() > trainSize) {
                LOG.warn("{}: batch {} is more than the {} training examples: each batch holds all {} once", spec.name(),
                        spec.batch(), trainSize, trainSize);
            }
            if (perStep > trainSize) {
                // Not an error (a small task may be meant so), but every step then sees some examples twice.
                LOG.warn("{}: a step draws {} examples (batch {} × gradientAccumulation {}{}) from {} training examples, "
                        + "so each step repeats some; a smaller batch gives each step distinct examples", spec.name(),
                        perStep, Math.min(spec.batch(), trainSize), spec.gradientAccumulation(),
                        workers == 1 ? "" : " × " + workers + " workers", trainSize);
            }
        }
        InitContext ctx = new InitContext(spec.length(), prepared.config().dModel, model.embeddingTable(), tokenizer,
                arrays.targetTexts(), spec.seed(), w -> {
                    warnings.add(w);
                    LOG.warn(w);
                }, spec.model());
        long startRss = ProcessMemory.resetPeak() ? 0 : -1;
        String fingerprint = EmbeddingFingerprint.of(model.embeddingTable());
        RunCheckpoint.Identity identity = RunCheckpoint.Identity.of(spec.toJson(), fingerprint,
                prepared.task().data().fingerprints());
        int width = prepared.config().dModel;
        // A resumed prompt's values come from its checkpoint (the trainer restores them): no initialiser runs.
        float[] initial = resumeDir == null ? spec.init().values(ctx) : new float[spec.length() * width];
        try (SoftPrompt prompt = SoftPrompt.of(initial, spec.length(), width, root);
             ResidualReparam reparam = spec.reparam().equals("residual")
                     ? ResidualReparam.create(width, spec.reparamBottleneck(), spec.seed(), root) : null;
             Optimizer optimizer = optimizer(spec, root)) {
            Trainable trainable = reparam == null ? Trainable.prompt(prompt, spec.placement())
                    : Trainable.residualPrompt(prompt, reparam, spec.placement());
            List<long[]> shapes = trainable.parameters().stream().map(p -> p.getShape().getShape()).toList();
            TrainerState resumed = resumeDir == null ? null : RunCheckpoint.read(resumeDir, identity, shapes);
            // The cluster starts before the record is made: a master that cannot be reached or a setting Spark
            // refuses then leaves no record of a run that never began.
            TrainingSettings settings = experiment.trainingSettings();
            StepGradients clusterGradients = spec.cluster() == null ? null
                    : ClusterBackends.require(spec.cluster()).training(new ClusterTraining(spec.cluster(),
                            spec.name(), prepared.modelDir(), spec.precision(), spec.device(),
                            fingerprint, trainable, spec.length(), prepared.config().dModel,
                            reparam == null ? 0 : spec.reparamBottleneck(), spec.placement(), arrays.train(), settings.seed(),
                            settings.dropoutFor(model), settings.loss(), settings.gradientAccumulation()));
            RunRecord opened;
            try {
                opened = resumed == null ? RunRecord.create(spec.save(), spec) : RunRecord.resume(resumeDir, resumed);
            } catch (RuntimeException e) {
                if (clusterGradients != null) {
                    clusterGradients.close();
                }
                throw e;
            }
            try (RunRecord record = opened) {
                List<TrainingListener> all = new ArrayList<>(listeners);
                all.add(record);
                Trainer trainer = new Trainer(model, trainable, optimizer, settings, prepared.task().metric(), all)
                        .withCheckpoints(state -> checkpoint(record.dir(), state, shapes, identity));
                if (resumed != null) {
                    trainer.resumingFrom(resumed);
                    // Said so that a resumed run's log is not read as a fresh one whose first steps are missing.
                    LOG.info("{}: resuming from step {} of {} ({}) in {}", spec.name(), resumed.step(), spec.steps(),
                            resumed.bestStep() == 0 ? "no dev evaluation yet"
                                    : String.format(java.util.Locale.ROOT, "best dev %.4f at step %d", resumed.bestValue(), resumed.bestStep()),
                            record.dir());
                }
                if (clusterGradients != null) {
                    trainer.withGradients(clusterGradients);
                }
                if (arrays.dev() != null) {
                    trainer.withDevEvaluator(input -> scorer.value(input, arrays.dev()));
                }
                TrainingResult result = trainer.run(spec.name(), arrays.train(), arrays.dev(), root);
                if (reparam != null) {
                    // The MLP has done its work: from here on (scoring, the record, files, ensembles, PEFT) the prompt
                    // is the plain matrix P' the model saw.
                    prompt.set(reparam.projectFloats(prompt));
                }
                return scoreAndRecord(experiment, listeners, prompt, optimizer, record, result, startRss);
            }
        }
    }

    /** Writes the run's checkpoint; a failed write (a full disk) says what the record still holds. */
    private static void checkpoint(Path recordDir, TrainerState state, List<long[]> shapes, RunCheckpoint.Identity identity) {
        try {
            RunCheckpoint.write(recordDir, state, shapes, identity);
        } catch (PromptTuneException e) {
            throw RecordNotWritten.of(recordDir, e.getMessage(), e);
        }
    }

    /**
     * After training: the test split and the baselines scored with the trained prompt (none for a failed run, which
     * trained nothing), the record finished; throws {@link RunFailed} for a failed run.
     */
    private PromptTuneRun scoreAndRecord(ExperimentContext experiment, List<TrainingListener> listeners, SoftPrompt prompt,
                                         Optimizer optimizer, RunRecord record, TrainingResult result, long startRss) {
        PromptTuneSpec spec = experiment.spec();
        Prepared prepared = experiment.prepared();
        TaskArrays arrays = experiment.arrays();
        Scorer scorer = experiment.scorer();
        boolean failed = result.reason() == StopReason.FAILED;

        // A failed run trained nothing: there is nothing to score, only a record that says so.
        EncoderInput tuned = EncoderInput.prompted(prompt, spec.placement());
        ScoredSplit test = arrays.test() != null && !failed ? scorer.score(tuned, arrays.test()) : null;
        Map<String, ScoredSplit> scoredBaselines = new LinkedHashMap<>();
        Map<String, Double> baselines = failed ? Map.of() : baselines(experiment, listeners, scoredBaselines);
        PromptTuneRun.Uncalibrated uncalibrated = null;
        if (spec.calibrate() && !failed) {
            // The best prompt's dev scores again, for the uncalibrated dev metric beside the calibrated one.
            ScoredSplit dev = arrays.dev() != null && !Double.isNaN(result.bestValue()) ? scorer.score(tuned, arrays.dev()) : null;
            ScoredSplit priorSource = test != null ? test : dev;
            uncalibrated = new PromptTuneRun.Uncalibrated(dev != null ? dev.uncalibrated() : Double.NaN,
                    test != null ? test.uncalibrated() : Double.NaN, uncalibratedBaselines(scoredBaselines),
                    priorSource == null ? Map.of() : prior(arrays.targetTexts(), priorSource.prior()));
        }
        PromptTuneRun run = new PromptTuneRun(spec, record.id(), record.dir(), prepared.task().metric(), result.bestValue(),
                result.bestStep(), test != null ? test.value() : Double.NaN, baselines, result.steps(), result.seconds(),
                startRss < 0 ? -1 : ProcessMemory.peakRssMib(), result.paramsTrainable(), result.paramsTotal(),
                result.reason(), prompt.toFloats(), spec.length(), prepared.config().dModel, result.losses(),
                result.evals(), test != null ? test.predictions() : List.of(), uncalibrated);
        record.finish(run, metadata(spec, prepared, experiment.model(), optimizer, result), result.failure());
        if (failed) {
            throw new RunFailed(spec.name(), result.failure(), record.dir());
        }
        if (result.reason() == StopReason.DIVERGED) {
            LOG.warn("{}: {}", spec.name(), result.failure());
        }
        return run;
    }

    private static Map<String, Double> uncalibratedBaselines(Map<String, ScoredSplit> scored) {
        Map<String, Double> out = new LinkedHashMap<>();
        scored.forEach((k, v) -> out.put(k, v.uncalibrated()));
        return out;
    }

    private static Map<String, Double> prior(List<String> targetTexts, double[] prior) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < targetTexts.size(); c++) {
            out.put(targetTexts.get(c), prior[c]);
        }
        return out;
    }

    /**
     * Re-evaluates a saved run from its record alone (spec.json + prompt.safetensors): the test split (dev when
     * there is none) is scored afresh with the saved prompt, which must pass {@link PromptCheck} against the model.
     */
    public ScoredSplit reevaluate(Path recordDir) {
        return reevaluate(recordDir, false);
    }

    /** {@link #reevaluate(Path)}; {@code anyModel}: even if the prompt records another model's embedding fingerprint. */
    public ScoredSplit reevaluate(Path recordDir, boolean anyModel) {
        return rescore(recordDir, anyModel).scored();
    }

    /**
     * A re-evaluation and the split it scored ("test", or "dev" when the task has no labelled test): what is compared
     * with the record follows from what was scored, not from what the record's summary says it holds.
     */
    public record Rescored(String split, ScoredSplit scored) {}

    /** {@link #reevaluate(Path, boolean)}, naming the split scored. */
    public Rescored rescore(Path recordDir, boolean anyModel) {
        PromptTuneRun saved = RunRecord.load(recordDir);
        RunRecord.requireDataFound(recordDir, saved.spec());
        ExperimentContext experiment = ExperimentContext.toScore(session, saved.spec());
        PromptFile.Loaded loaded = PromptFile.loadOnto(recordDir.resolve("prompt.safetensors"), experiment.model(), anyModel);
        scoredSplit(experiment, saved.spec()).flatMap(split -> changedData(recordDir, loaded.metadata().dataFingerprints(),
                split)).ifPresent(LOG::warn);
        TokenizedTask target = experiment.target();
        try (SoftPrompt prompt = loaded.toSoftPrompt(session.manager())) {
            return new Rescored(target.name(), experiment.scorer().score(EncoderInput.prompted(prompt,
                    experiment.spec().placement()), target).requireFiniteScores(recordDir.toString()));
        }
    }

    /**
     * The data split a re-evaluation scores (test when labelled, else dev); none when the fast dev run switch cuts it
     * now but did not when the run was recorded (it then differs by design, and its own warning says so).
     */
    private static Optional<Split> scoredSplit(ExperimentContext experiment, PromptTuneSpec recorded) {
        if (experiment.spec().fastDevRun() != recorded.fastDevRun()) {
            return Optional.empty();
        }
        try {
            return Optional.of(experiment.data().split(experiment.target().name()));
        } catch (PromptTuneException notASplit) {
            return Optional.empty();
        }
    }

    /**
     * A warning when the split a re-evaluation scores is not the data the run was scored on (its fingerprint differs
     * from the one the record holds): the new value is then of other data, not a check of the recorded one. Empty
     * when they agree, or when the record holds none for that split.
     */
    static Optional<String> changedData(Path recordDir, Map<String, String> recorded, Split scored) {
        String then = recorded.get(scored.name());
        if (then == null || then.equals(scored.fingerprint())) {
            return Optional.empty();
        }
        return Optional.of(recordDir + ": the " + scored.name() + " data (" + scored.source() + ") changed since the run "
                + "(its fingerprint differs from the record's): the score below is of other data than the recorded one");
    }

    /**
     * The baselines the spec asks for ({@link Baselines}), scored on test (dev when there is no labelled test split);
     * those that score labels (design, modelTuning) also go to {@code scored}. Model tuning reports its progress to
     * the caller's listeners, as the prompt run does.
     */
    private static Map<String, Double> baselines(ExperimentContext experiment, List<TrainingListener> listeners,
                                                 Map<String, ScoredSplit> scored) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (experiment.arrays().test() == null && experiment.arrays().dev() == null) {
            return out;
        }
        PromptTuneSpec spec = experiment.spec();
        Baselines.all(experiment, spec.baselines(), listeners, spec.name() + "-model-tuning").forEach((kind, r) -> {
            if (r.scored() != null) {
                scored.put(kind, r.scored());
            }
            out.put(kind, r.value());
        });
        return out;
    }

    static Optimizer optimizer(PromptTuneSpec spec, NDManager root) {
        LearningRateSchedule schedule = LearningRateSchedule.parse(spec.schedule());
        float lr = (float) spec.lr();
        return OptimizerKind.of(spec.optimizer()).build(lr, (float) spec.weightDecay(), schedule, root);
    }

    /** The prompt metadata's hyper-parameter naming a file-based task's train, dev and test files (absolute). */
    public static final String DATA_FILES = "dataFiles";

    /**
     * A file-based task's files as absolute paths (train, and dev and test when given): what a prompt file records so
     * that, loaded alone (loadPrompt), it can be scored and predict with again, as its record can.
     */
    public static Map<String, String> dataFiles(PromptTuneSpec spec) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("train", spec.train().toAbsolutePath().normalize().toString());
        if (spec.dev() != null) {
            files.put("dev", spec.dev().toAbsolutePath().normalize().toString());
        }
        if (spec.test() != null) {
            files.put("test", spec.test().toAbsolutePath().normalize().toString());
        }
        return files;
    }

    /**
     * The settings a prompt is scored with besides its template, labels and placement, kept in its file's
     * hyper-parameters so that a prompt loaded from the file alone scores and predicts as its run did: the label field,
     * the input and target cuts, the sentinel target, and the metric when one was set.
     */
    public static Map<String, Object> scoringSettings(PromptTuneSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labelField", spec.labelField());
        out.put("maxInputLength", spec.maxInputLength());
        out.put("maxTargetLength", spec.maxTargetLength());
        out.put("sentinel", spec.sentinel());
        if (spec.metric() != null) {
            out.put("metric", spec.metric());
        }
        return out;
    }

    /**
     * Sets on {@code spec} the {@link #scoringSettings} that a prompt file's hyper-parameters {@code recorded} hold
     * (read back as JSON gives them: numbers as any Number); settings a file does not hold keep their defaults.
     */
    public static void applyScoringSettings(Map<String, Object> recorded, PromptTuneSpec.Builder spec) {
        if (recorded.get("labelField") instanceof String labelField) {
            spec.labelField(labelField);
        }
        if (recorded.get("maxInputLength") instanceof Number n) {
            spec.maxInputLength(n.intValue());
        }
        if (recorded.get("maxTargetLength") instanceof Number n) {
            spec.maxTargetLength(n.intValue());
        }
        if (recorded.get("sentinel") instanceof Boolean sentinel) {
            spec.sentinel(sentinel);
        }
        if (recorded.get("metric") instanceof String metric && PromptTuneSpec.METRICS.contains(metric)) {
            spec.metric(metric);
        }
    }

    private static PromptMetadata metadata(PromptTuneSpec spec, Prepared prepared, T5Model model, Optimizer optimizer,
                                           TrainingResult result) {
        Map<String, Object> verbalizer = new LinkedHashMap<>();
        var v = prepared.task().data().verbalizer();
        for (int i = 0; i < v.size(); i++) {
            verbalizer.put(v.labels().get(i), v.targets().get(i));
        }
        Map<String, Object> hyper = new LinkedHashMap<>(optimizer.settings());
        hyper.put("batch", spec.batch());
        hyper.put("steps", result.steps());
        hyper.put("gradientAccumulation", spec.gradientAccumulation());
        hyper.put("dropout", spec.dropout());
        hyper.put("precision", spec.precision());
        hyper.put("loss", spec.loss());
        hyper.putAll(scoringSettings(spec));
        if (spec.calibrate()) {
            hyper.put("calibrate", true); // how the prompt's predictions are meant to be made
        }
        if (spec.fastDevRun()) {
            hyper.put("fastDevRun", true); // a smoke-test prompt (a few steps): it must not pass for a result
        }
        if (spec.data() == null) {
            hyper.put(DATA_FILES, dataFiles(spec));
        }
        if (!spec.reparam().equals("none")) {
            // How the saved P' was trained; the file holds P' itself, a plain prompt.
            hyper.put("reparam", spec.reparam());
            hyper.put("reparamBottleneck", spec.reparamBottleneck());
        }
        return PromptFile.describe(model).baseModel(prepared.modelDir().toString()).init(spec.init().describe())
                .placement(spec.placement().key()).task(prepared.task().taskName()).template(prepared.task().data().template().text())
                .verbalizer(verbalizer).optimizer(optimizer.name()).hyperParameters(hyper).seed(spec.seed())
                .dataFingerprints(prepared.task().data().fingerprints())
                .best(result.metric(), Double.isNaN(result.bestValue()) ? null : result.bestValue(), (long) result.bestStep())
                .timestampNow().build();
    }
}
