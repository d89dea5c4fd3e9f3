package dev.prompttune.dsl;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.Suggestions;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.ensemble.PromptEnsemble;
import dev.prompttune.core.interpret.NearestTokens;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.run.Baselines;
import dev.prompttune.core.run.ExperimentContext;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.run.RunFailed;
import dev.prompttune.core.run.ScoredSplit;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The DSL's verbs as a Java API (the twin of the Groovy script base class): every verb a script can call, taking
 * {@code Consumer<TuneSpec>} where the script takes a closure. Runs share one {@link Session}, so a model is
 * loaded once however many runs, sweeps, predictions and ensembles use it.
 *
 * <pre>
 * var ex = new Experiments();
 * var run = ex.promptTune(s -> s.model("t5-mini-ppmi").data("spam").length(20).init("labels").steps(300));
 * System.out.println(run.table());
 * </pre>
 */
public class Experiments {

    static final String NO_RUNS_TO_COMPARE = "compare: no runs given; allowed: one or more runs";
    static final String NO_RUNS_TO_ENSEMBLE = "ensemble: no runs given; allowed: one or more runs of one task and model";

    private final Session session;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<PromptTuneRun> runs = new ArrayList<>();
    private final PrintedResults printed = new PrintedResults();
    /** The number of runs made before the script that is running began; -1 when no script runs. */
    private int scriptStart = -1;
    private boolean endScriptsAtInterrupt;

    /** Experiments in the process-wide session. */
    public Experiments() {
        this(Session.shared());
    }

    public Experiments(Session session) {
        this.session = session;
    }

    public Session session() {
        return session;
    }

    /** Adds a listener to every training run (a progress bar, a live display). */
    public Experiments listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The runs made through this object, in order. */
    public List<PromptTuneRun> runs() {
        return List.copyOf(runs);
    }

    /** The results a script of these experiments printed itself (so the CLI's closing table does not repeat them). */
    public PrintedResults printed() {
        return printed;
    }

    // ---- promptTune, sweep -----------------------------------------------------------------------------------------

    /** Trains one prompt: the block's spec, validated, run, recorded. */
    public PromptTuneRun promptTune(Consumer<TuneSpec> block) {
        requireBlock(block, "promptTune", "spec -> spec.model(\"t5-mini-ppmi\").data(\"spam\")");
        TuneSpec spec = new TuneSpec();
        block.accept(spec);
        return spec.reportingClusterStartAtItsLine(() -> run(spec.build()));
    }

    /**
     * Trains one prompt from a ready spec ({@code PromptTuneSpec.builder()…build()}). After an interrupt (this
     * thread's, or one that stopped an earlier run of this object) no further run starts: a sweep or script keeps
     * the runs it finished and the interrupted one, and starts no later ones.
     */
    public PromptTuneRun run(PromptTuneSpec spec) {
        if (spec == null) {
            throw new PromptTuneException("run: the spec is null; allowed: a spec (PromptTuneSpec.builder()…build())");
        }
        requireNotStopped("run " + spec.name());
        PromptTuneRun run = execute(spec);
        runs.add(run);
        return endScriptIfInterrupted(run);
    }

    /**
     * A script run from the command line ends where a run of it was interrupted: nothing after it runs (its own Groovy
     * code included), and the command prints what was recorded. In a notebook cell the run is returned (the cell
     * shows it) and the verbs after it are refused.
     */
    public Experiments endingScriptsAtInterrupt() {
        endScriptsAtInterrupt = true;
        return this;
    }

    private PromptTuneRun endScriptIfInterrupted(PromptTuneRun run) {
        if (endScriptsAtInterrupt && scriptStart >= 0 && run.interrupted()) {
            throw new StoppedByInterrupt("interrupted: run " + run.name() + " stopped; the script ends here");
        }
        return run;
    }

    /**
     * Resumes the run recorded in {@code recordDir} from its checkpoint (a run that was interrupted, failed on a
     * cluster, or was killed): it trains on into its own record with the spec of its {@code spec.json} and ends as
     * the uninterrupted run would have. The same rule as {@link #run}: nothing starts after an interrupt.
     */
    public PromptTuneRun resume(String recordDir) {
        requireNotStopped("resuming " + recordDir);
        PromptTuneRun run = new PromptTuning(session).resume(recordDir(recordDir), null, listeners);
        runs.add(run);
        return endScriptIfInterrupted(run);
    }

    private void requireNotStopped(String what) {
        boolean stopped = Thread.currentThread().isInterrupted() || runs.stream().anyMatch(PromptTuneRun::interrupted);
        if (stopped) {
            throw new StoppedByInterrupt("interrupted: not starting " + what + " (an earlier run was stopped; "
                    + runs.size() + " run(s) recorded)");
        }
    }

    /**
     * In a script: refuses {@code what} (saving, exporting, scoring, predicting) once a run of the script was
     * interrupted. Ctrl-C or the stop button stops the script where its run stopped: the verbs after it used to go on,
     * and a savePrompt there wrote the stopped run's prompt over the file it named. Outside a script (the Java API
     * called directly) the caller has the interrupted run and decides.
     */
    private void requireScriptGoesOn(String what) {
        if (scriptStart < 0) {
            return;
        }
        PromptTuneRun stopped = runs.subList(Math.min(scriptStart, runs.size()), runs.size()).stream()
                .filter(PromptTuneRun::interrupted).findFirst().orElse(null);
        if (stopped != null || Thread.currentThread().isInterrupted()) {
            throw new StoppedByInterrupt("interrupted: not " + what + " (" + (stopped == null ? "the script was stopped"
                    : "run " + stopped.name() + " was stopped") + "; the script ends there)");
        }
    }

    /** A script starts: results printed and interrupted runs are counted from here ({@link #requireScriptGoesOn}). */
    void startScript() {
        printed.startScript();
        scriptStart = runs.size();
    }

    /** The script has ended: verbs called afterwards are the Java API's again. */
    void endScript() {
        scriptStart = -1;
    }

    /** What a verb refused after an interrupt throws: a consequence of the stop, not a mistake of its own. */
    public static final class StoppedByInterrupt extends PromptTuneException {
        StoppedByInterrupt(String message) {
            super(message);
        }
    }

    /**
     * Trains a grid of prompts in one session (the model is loaded once). Every point is validated before the first
     * one trains. Baselines are scored once per distinct task/model setting, not once per point.
     */
    public SweepResult sweep(Consumer<SweepSpec> block) {
        requireBlock(block, "sweep", "spec -> spec.model(\"t5-mini-ppmi\").data(\"spam\").length(1, 20)");
        SweepSpec spec = new SweepSpec();
        block.accept(spec);
        List<SweepSpec.Point> points = spec.points();
        for (SweepSpec.Point p : points) {
            prepare(p.spec());
        }
        int loads = modelLoads();
        Set<JsonObject> scored = new HashSet<>();
        List<PromptTuneRun> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            PromptTuneSpec s = points.get(i).spec();
            if (!scored.add(baselineKey(s))) {
                s = s.toBuilder().baselines().build();
            }
            try {
                out.add(run(s));
            } catch (RunFailed e) {
                // The sweep stops at a failed point: say what it leaves, finished and not run.
                List<String> notRun = points.subList(i + 1, points.size()).stream().map(q -> q.spec().name()).toList();
                throw e.saying("the sweep stopped there: " + out.size() + " point(s) finished"
                        + (out.isEmpty() ? "" : " (" + String.join(", ", out.stream().map(PromptTuneRun::name).toList())
                                + ", their records kept)") + ", " + notRun.size() + " not run"
                        + (notRun.isEmpty() ? "" : " (" + String.join(", ", notRun) + ")"));
            }
        }
        return new SweepResult(spec.axes().stream().map(SweepSpec.Axis::keyword).toList(), points, out,
                modelLoads() - loads);
    }

    /** Trains a spec (tests override this to record specs without training). */
    protected PromptTuneRun execute(PromptTuneSpec spec) {
        return new PromptTuning(session).execute(spec, listeners);
    }

    /** Models loaded so far in this object's session. */
    protected int modelLoads() {
        return session.modelLoads();
    }

    /** Validates a spec as far as possible without loading weights. */
    protected void prepare(PromptTuneSpec spec) {
        new PromptTuning(session).prepare(spec);
    }

    /**
     * What baselines depend on: the spec without the prompt's own settings, and without the seed and the loss unless
     * model tuning (the one baseline that trains) is asked for: prompt design and the majority class are the same for
     * every seed, so a sweep over 3 seeds scores them once, not 3 times.
     */
    static JsonObject baselineKey(PromptTuneSpec spec) {
        JsonObject key = spec.toJson().deepCopy();
        for (String promptOnly : Baselines.PROMPT_SETTINGS) {
            key.remove(promptOnly);
        }
        if (!spec.baselines().contains("modelTuning")) {
            key.remove("seed");
            key.remove("loss");
        }
        return key;
    }

    // ---- compare, load, evaluate -----------------------------------------------------------------------------------

    /** Runs side by side: table and curves. */
    public RunComparison compare(List<PromptTuneRun> runs) {
        if (Arguments.runs(runs, "compare").isEmpty()) {
            throw new PromptTuneException(NO_RUNS_TO_COMPARE);
        }
        return RunComparison.of(runs);
    }

    public RunComparison compare(PromptTuneRun... runs) {
        return compare(runs == null ? null : java.util.Arrays.asList(runs));
    }

    /**
     * A saved run from its record directory ({@code runs/NAME-TIMESTAMP}); its prompt passes the same check as
     * {@link #loadPrompt(String)} (width, finite values, embedding fingerprint).
     */
    public PromptTuneRun load(String recordDir) {
        return load(recordDir, false);
    }

    /** {@link #load(String)}; {@code anyModel}: even if its prompt records another model's embedding fingerprint. */
    public PromptTuneRun load(String recordDir, boolean anyModel) {
        return loadRecord(recordDir, anyModel);
    }

    /** Re-scores a run from its record alone (test, or dev when there is no labelled test split). */
    public Evaluation evaluate(PromptTuneRun run) {
        return evaluate(run, false);
    }

    /** {@link #evaluate(PromptTuneRun)}; {@code anyModel}: even if its prompt records another model's fingerprint. */
    public Evaluation evaluate(PromptTuneRun run, boolean anyModel) {
        requireScriptGoesOn("evaluating " + (run == null ? "a run" : run.name()));
        if (Arguments.run(run, "evaluate").record() == null) {
            throw new PromptTuneException("evaluate: run " + run.name() + " has no record on disk (a loaded prompt file "
                    + "has none); allowed: a run with a record (from promptTune or load), or evaluate(run, 'FILE') to "
                    + "score it on a labelled file");
        }
        PromptTuning.Rescored rescored = new PromptTuning(session).rescore(run.record(), anyModel);
        ScoredSplit scored = rescored.scored();
        boolean test = rescored.split().equals("test");
        return new Evaluation(run.name(), rescored.split(), run.metric(), scored.value(), test ? run.test() : run.dev(),
                scored.predictions());
    }

    /** Scores a run's prompt on another labelled file (same template and labels). */
    public Evaluation evaluate(PromptTuneRun run, String file) {
        requireScriptGoesOn("evaluating " + (run == null ? "a run" : run.name()) + " on " + file);
        PromptTuneSpec spec = Arguments.run(run, "evaluate").spec().toBuilder().test(existing(file)).build();
        ExperimentContext ctx = ExperimentContext.toScore(session, spec);
        try (SoftPrompt prompt = prompt(run, ctx)) {
            ScoredSplit scored = ctx.scoreTest(prompt, "evaluate: " + file).requireFiniteScores("evaluate: " + file);
            return new Evaluation(run.name(), file, ctx.metric(), scored.value(), Double.NaN, scored.predictions());
        }
    }

    // ---- predict ---------------------------------------------------------------------------------------------------

    /** The label a run's prompt gives one text (the template must have one slot). */
    public Prediction predict(PromptTuneRun run, String text) {
        return predict(run, java.util.Collections.singletonList(text)).get(0);
    }

    /** The label for one example given by its fields: {@code predict(run, [subject: '…', body: '…'])}. */
    public Prediction predict(PromptTuneRun run, Map<String, ?> fields) {
        return predict(run, java.util.Collections.singletonList(fields)).get(0);
    }

    /** Labels for several inputs, each a text or a map of fields, in one batched pass. */
    public List<Prediction> predict(PromptTuneRun run, List<?> inputs) {
        requireScriptGoesOn("predicting");
        ExperimentContext ctx = ExperimentContext.toPredict(session, Arguments.run(run, "predict").spec());
        List<Example> examples = PredictInputs.examples(ctx, Arguments.inputs(inputs, "predict"), "predict");
        List<String> labels = ctx.data().verbalizer().labels();
        try (SoftPrompt prompt = prompt(run, ctx)) {
            ScoredSplit scored = ctx.score(prompt, ctx.tokenize(examples));
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                int c = scored.predicted()[i];
                PromptTuneRun.Prediction p = scored.predictions().get(i);
                Map<String, Double> scores = new LinkedHashMap<>();
                if (p.scores() != null) {
                    for (int k = 0; k < labels.size(); k++) {
                        scores.put(labels.get(k), (double) p.scores()[k]);
                    }
                }
                out.add(new Prediction(ctx.data().template().render(examples.get(i)), c >= 0 ? labels.get(c) : null,
                        p.predicted(), scores));
            }
            return out;
        }
    }

    /**
     * One mixed batch: row i is {@code inputs.get(i)} under {@code runs.get(i)}'s prompt, task, template and labels;
     * rows of different tasks and prompt lengths share one encoder pass and one decoder pass over one frozen model
     * (the paper's multi-task serving). The runs must share a model.
     */
    public List<Prediction> predictMixed(List<PromptTuneRun> runs, List<?> inputs) {
        requireScriptGoesOn("predicting");
        return MixedBatch.predict(session, Arguments.runs(runs, "predictMixed"), Arguments.inputs(inputs, "predictMixed"));
    }


    // ---- ensemble --------------------------------------------------------------------------------------------------

    /** Prompts of one task voting by majority, all members scored in one batched pass (paper §7). */
    public EnsembleResult ensemble(List<PromptTuneRun> members) {
        requireScriptGoesOn("scoring an ensemble");
        if (Arguments.runs(members, "ensemble").isEmpty()) {
            throw new PromptTuneException(NO_RUNS_TO_ENSEMBLE);
        }
        EnsembleMembers.requireShared(members);
        PromptTuneSpec first = members.get(0).spec();
        ExperimentContext ctx = ExperimentContext.toScore(session, first);
        List<SoftPrompt> prompts = new ArrayList<>();
        try {
            for (PromptTuneRun m : members) {
                prompts.add(prompt(m, ctx));
            }
            PromptEnsemble.Result r = ctx.ensemble(prompts);
            String split = ctx.target().name();
            List<Double> memberValues = new ArrayList<>();
            for (double a : r.memberAccuracies()) {
                memberValues.add(a);
            }
            return new EnsembleResult(members.stream().map(PromptTuneRun::name).toList(), split, r.accuracy(), memberValues,
                    r.meanMemberAccuracy(), members.get(r.bestMember()).name(), r.bestMemberAccuracy(), r.predictions());
        } finally {
            prompts.forEach(SoftPrompt::close);
        }
    }

    public EnsembleResult ensemble(PromptTuneRun... members) {
        return ensemble(members == null ? null : java.util.Arrays.asList(members));
    }

    // ---- baseline --------------------------------------------------------------------------------------------------

    /**
     * One baseline alone, on the task the block describes: {@code design} (the frozen model with the template),
     * {@code majority} (the most frequent training class) or {@code modelTuning} (every weight trained with the
     * block's steps and batch, Adafactor at 1e-3, on a fresh copy of the model).
     */
    public BaselineResult baseline(String kind, Consumer<TuneSpec> block) {
        if (kind == null) {
            throw new PromptTuneException("baseline: the kind is null; allowed: " + String.join(", ", PromptTuneSpec.BASELINES));
        }
        if (!PromptTuneSpec.BASELINES.contains(kind)) {
            throw new PromptTuneException("baseline '" + kind + "' is not known" + Suggestions.didYouMean(kind, PromptTuneSpec.BASELINES)
                    + "; allowed: " + String.join(", ", PromptTuneSpec.BASELINES));
        }
        requireScriptGoesOn("scoring baseline '" + kind + "'");
        requireBlock(block, "baseline", "spec -> spec.model(\"t5-mini-ppmi\").data(\"spam\")");
        TuneSpec tune = new TuneSpec();
        block.accept(tune);
        Baselines.requireUsed(kind, tune.keywordsGiven());
        PromptTuneSpec spec = tune.build();
        ExperimentContext ctx = ExperimentContext.of(session, spec);
        // Named after the task: a baseline block has no prompt, so the default DATA-INIT-LENGTH name would describe a
        // prompt that does not exist.
        Baselines.Result r = Baselines.of(kind, ctx, listeners, ctx.taskName() + "-model-tuning");
        return new BaselineResult(kind, ctx.taskName(), spec.model(), ctx.metric(), ctx.target().name(), r.value(),
                r.uncalibrated(), ctx.spec().fastDevRun());
    }

    // ---- prompt files ----------------------------------------------------------------------------------------------

    /** Saves a run's best prompt as {@code PATH.safetensors} + {@code PATH.json} (atomic); returns the .safetensors file. */
    public Path savePrompt(PromptTuneRun run, String path) {
        requireScriptGoesOn("saving a prompt to " + path);
        Arguments.run(run, "savePrompt");
        return PromptFiles.save(run, savePromptTarget(path));
    }

    /** Where {@code savePrompt} writes, checked before anything is written (and before the script runs). */
    static Path savePromptTarget(String path) {
        Path p = PathProblems.given(path, "prompt file", "DIR/NAME (writes DIR/NAME.safetensors and DIR/NAME.json)");
        PromptFiles.requireOutsideRecordsAndAdapters(p, "savePrompt");
        if (Files.isDirectory(p)) {
            throw new PromptTuneException("savePrompt: " + p + " is a folder; allowed: a prompt file name DIR/NAME "
                    + "(writes DIR/NAME.safetensors and DIR/NAME.json), e.g. " + p.resolve("prompt"));
        }
        String problem = PathProblems.cannotCreate(p.toAbsolutePath().getParent());
        if (problem != null) {
            throw new PromptTuneException("savePrompt: " + p + ": " + problem + "; allowed: a folder this user can write");
        }
        return p;
    }

    /** Where {@code exportPeft} writes the adapter, checked before anything is written (and before the script runs). */
    static Path exportPeftTarget(String dir) {
        Path p = PathProblems.given(dir, "adapter folder", PeftFiles.ADAPTER_TARGET);
        PeftFiles.requireAdapterTarget("exportPeft", p);
        return p;
    }

    /**
     * A saved prompt back as a run (a prompt file from savePrompt, a run record directory, or a record's prompt),
     * checked against its model ({@link dev.prompttune.core.promptfile.PromptCheck}: width, finite values, fingerprint).
     */
    public PromptTuneRun loadPrompt(String path) {
        return loadPrompt(path, false);
    }

    /** {@link #loadPrompt(String)}; {@code anyModel}: even if the prompt records another model's fingerprint. */
    public PromptTuneRun loadPrompt(String path, boolean anyModel) {
        return loadPromptFile(path, anyModel);
    }

    /** {@link #loadPrompt(String, boolean)}'s reading and checks, which need no session (the script checks use them). */
    static PromptTuneRun loadPromptFile(String path, boolean anyModel) {
        return PromptFiles.load(PathProblems.given(path, "prompt file",
                "a prompt file (DIR/NAME.safetensors, or DIR/NAME) or a run record folder"), anyModel);
    }

    /** {@link #load(String, boolean)}'s reading and checks, which need no session. */
    static PromptTuneRun loadRecord(String recordDir, boolean anyModel) {
        return PromptFiles.loadRecord(recordDir(recordDir), anyModel);
    }

    /** {@link #importPeft(String)}, which needs no session: checked as import-peft checks it ({@link PeftAdapter#check}). */
    static PeftAdapter readPeft(String dir) {
        PeftAdapter adapter = PeftAdapter.importFrom(PathProblems.given(dir, "PEFT adapter",
                "a PEFT adapter folder (adapter_config.json and adapter_model.safetensors)"));
        adapter.check(null, false); // no model here: its values (init file checks it against the model it trains)
        return adapter;
    }

    // ---- PEFT, interpretation --------------------------------------------------------------------------------------

    /** Writes a run's prompt as a Hugging Face PEFT prompt-tuning adapter directory; returns it. */
    public Path exportPeft(PromptTuneRun run, String dir) {
        requireScriptGoesOn("exporting an adapter to " + dir);
        Arguments.run(run, "exportPeft");
        return PeftFiles.export(run, exportPeftTarget(dir), null, false, "exportPeft");
    }

    /** Reads a PEFT prompt-tuning adapter (use it to start a run: {@code init file('DIR')}). */
    public PeftAdapter importPeft(String dir) {
        return readPeft(dir);
    }

    /** For each prompt position, the {@code k} nearest vocabulary tokens (cosine); label positions marked. */
    public Interpretation nearest(PromptTuneRun run, int k) {
        requireScriptGoesOn("finding nearest tokens");
        PromptTuneSpec spec = Arguments.run(run, "nearest").spec();
        Path modelDir = ModelResolver.resolve(spec.model());
        T5Model model = session.model(modelDir, spec.precision(), spec.device());
        T5Tokenizer tokenizer = session.tokenizer(modelDir);
        if (model.config().dModel != run.width()) {
            throw new PromptTuneException("nearest: prompt width " + run.width() + " differs from model " + spec.model()
                    + "'s width " + model.config().dModel);
        }
        NearestTokens tokens = NearestTokens.of(run.prompt(), run.length(), run.width(), model.embeddingTable(), tokenizer, k);
        List<NearestTokens.LabelMark> marks = List.of();
        PromptMetadata loaded = PromptFiles.loadedMetadata(run);
        if (spec.init().kind().equals("labels") && (loaded == null || "labels".equals(loaded.init().get("kind")))) {
            marks = tokens.markLabels(TaskSetup.toPredict(spec).data().verbalizer().targets(), tokenizer);
        }
        return new Interpretation(run.name(), tokens, marks);
    }

    public Interpretation nearest(PromptTuneRun run) {
        return nearest(run, 5);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static SoftPrompt prompt(PromptTuneRun run, ExperimentContext ctx) {
        // Width and values here; the embedding fingerprint is checked where a prompt file is read for a model
        // (init file, loadPrompt, eval, export-peft), where the metadata that records it is at hand.
        PromptCheck.check(run.name(), run.prompt(), run.length(), run.width(), null,
                PromptCheck.Target.widthOnly(run.spec().model(), ctx.model().config().dModel), false);
        return SoftPrompt.of(run.prompt(), run.length(), run.width(), ctx.session().manager());
    }

    static Path recordDir(String recordDir) {
        return PathProblems.given(recordDir, "run record", "a run record folder (runs/NAME-TIMESTAMP)");
    }

    static Path existing(String file) {
        return PathProblems.requireFile(PathProblems.given(file, "data file", "a labelled .jsonl, .csv or .tsv file"),
                "data file");
    }

    /** A verb's block from Java: null is refused in words (it was a NullPointerException). */
    private static void requireBlock(Object block, String verb, String example) {
        if (block == null) {
            throw new PromptTuneException(verb + ": the block is null; allowed: the settings, e.g. " + example);
        }
    }
}
