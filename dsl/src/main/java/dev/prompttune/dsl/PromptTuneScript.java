package dev.prompttune.dsl;

import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The base class of every prompttune script (set by {@link ScriptRunner}): the verbs a script calls without
 * imports. Each delegates to an {@link Experiments} (the Java twin), taken from the binding variable
 * {@value #EXPERIMENTS} or made on first use, so a notebook kernel or the CLI decides the session and listeners.
 *
 * <pre>
 * def run = promptTune { model 't5-mini-ppmi'; data 'spam'; length 20; steps 300 }
 * println run.test
 * def grid = sweep { data 'spam'; steps 200; length 1, 5, 20; init 'random', 'vocab', 'labels' }
 * println compare(grid)
 * println predict(run, [subject: 'cheap meds', body: 'buy now'])
 * </pre>
 */
public abstract class PromptTuneScript extends Script {

    /** The binding variable holding the script's {@link Experiments}. */
    public static final String EXPERIMENTS = "prompttuneExperiments";

    /** The verbs (the type checker suggests the nearest of these for an unknown one). */
    public static final List<String> COMMANDS = List.of("promptTune", "sweep", "compare", "evaluate", "predict", "ensemble",
            "predictMixed", "baseline", "load", "resume", "savePrompt", "loadPrompt", "exportPeft", "importPeft", "nearest");

    protected PromptTuneScript() {}

    protected PromptTuneScript(Binding binding) {
        super(binding);
    }

    /** The experiments this script runs in: its session, listeners and runs so far. */
    public Experiments getExperiments() {
        Binding b = getBinding();
        if (!b.hasVariable(EXPERIMENTS)) {
            b.setVariable(EXPERIMENTS, new Experiments());
        }
        return (Experiments) b.getVariable(EXPERIMENTS);
    }

    /** Prints as Groovy does, noting a printed result so the CLI does not print its table again ({@link PrintedResults}). */
    @Override
    public void println(Object value) {
        getExperiments().printed().note(value);
        super.println(value);
    }

    @Override
    public void print(Object value) {
        getExperiments().printed().note(value);
        super.print(value);
    }

    /** Trains one prompt; the block's keywords are {@link TuneSpec}'s. Returns the run (metrics, prompt, record). */
    public PromptTuneRun promptTune(@DelegatesTo(value = TuneSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        return getExperiments().promptTune(spec -> Closures.apply(block, spec));
    }

    /** Trains a grid ({@link SweepSpec}: keywords with several values are axes), loading the model once. */
    public SweepResult sweep(@DelegatesTo(value = SweepSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        return getExperiments().sweep(spec -> Closures.apply(block, spec));
    }

    public RunComparison compare(PromptTuneRun... runs) {
        return getExperiments().compare(runs);
    }

    /** Any list: {@code def runs = []; runs << promptTune { … }} is a list of Object to Groovy (it was refused). */
    public RunComparison compare(List<?> runs) {
        return getExperiments().compare(Arguments.runList(runs, "compare"));
    }

    public RunComparison compare(SweepResult sweep) {
        return getExperiments().compare(sweep.runs());
    }

    /** Re-scores a run from its record. */
    public Evaluation evaluate(PromptTuneRun run) {
        return getExperiments().evaluate(run);
    }

    /**
     * Re-scores a saved run given its record directory: {@code evaluate 'runs/spam-labels-20-20250101-120000'}.
     * (This replaces Groovy's {@code Script.evaluate(String)}, which would compile the text as code.)
     */
    @Override
    public Evaluation evaluate(String recordDir) {
        return getExperiments().evaluate(getExperiments().load(recordDir));
    }

    /** Scores a run's prompt on another labelled file. */
    public Evaluation evaluate(PromptTuneRun run, String file) {
        return getExperiments().evaluate(run, file);
    }

    public Prediction predict(PromptTuneRun run, String text) {
        return getExperiments().predict(run, text);
    }

    public Prediction predict(PromptTuneRun run, Map<String, ?> fields) {
        return getExperiments().predict(run, fields);
    }

    /** {@code predict(run, subject: '…', body: '…')} (Groovy passes named arguments first). */
    public Prediction predict(Map<String, ?> fields, PromptTuneRun run) {
        return getExperiments().predict(run, fields);
    }

    public List<Prediction> predict(PromptTuneRun run, List<?> inputs) {
        return getExperiments().predict(run, inputs);
    }

    public List<Prediction> predictMixed(List<?> runs, List<?> inputs) {
        return getExperiments().predictMixed(Arguments.runList(runs, "predictMixed"), inputs);
    }

    public EnsembleResult ensemble(PromptTuneRun... runs) {
        return getExperiments().ensemble(runs);
    }

    public EnsembleResult ensemble(List<?> runs) {
        return getExperiments().ensemble(Arguments.runList(runs, "ensemble"));
    }

    public EnsembleResult ensemble(SweepResult sweep) {
        return getExperiments().ensemble(sweep.runs());
    }

    /** One baseline alone: {@code baseline('design') { model 't5-mini-ppmi'; data 'spam' }}. */
    public BaselineResult baseline(String kind,
            @DelegatesTo(value = TuneSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        return getExperiments().baseline(kind, spec -> Closures.apply(block, spec));
    }

    /**
     * {@code resume 'runs/<id>'}: the run of that record, resumed from its checkpoint (it was interrupted, failed on a
     * cluster, or killed), ends as the uninterrupted run would have; the spec is the record's.
     */
    public PromptTuneRun resume(String recordDir) {
        return getExperiments().resume(recordDir);
    }

    /** A saved run from its record directory. */
    public PromptTuneRun load(String recordDir) {
        return getExperiments().load(recordDir);
    }

    /** {@code load('runs/x', anyModel: true)}: even if its prompt records another model's embedding fingerprint. */
    public PromptTuneRun load(Map<String, ?> options, String recordDir) {
        return getExperiments().load(recordDir, AnyModel.of(options, "load"));
    }

    public Path savePrompt(PromptTuneRun run, String path) {
        return getExperiments().savePrompt(run, path);
    }

    public PromptTuneRun loadPrompt(String path) {
        return getExperiments().loadPrompt(path);
    }

    /** {@code loadPrompt('p', anyModel: true)}: even if the prompt records another model's embedding fingerprint. */
    public PromptTuneRun loadPrompt(Map<String, ?> options, String path) {
        return getExperiments().loadPrompt(path, AnyModel.of(options, "loadPrompt"));
    }

    public Path exportPeft(PromptTuneRun run, String dir) {
        return getExperiments().exportPeft(run, dir);
    }

    public PeftAdapter importPeft(String dir) {
        return getExperiments().importPeft(dir);
    }

    public Interpretation nearest(PromptTuneRun run) {
        return getExperiments().nearest(run);
    }

    public Interpretation nearest(PromptTuneRun run, int k) {
        return getExperiments().nearest(run, k);
    }
}
