package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.Suggestions;
import dev.prompttune.core.data.Template;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.run.ClusterBackends;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.spec.TaskResolver;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code promptTune { … }} block, and its Java twin ({@code Consumer<TuneSpec>}): one method per keyword of
 * {@link PromptTuneSpec}, with the same name. Each validates its value at once (through the spec's builder, plus
 * the checks that need no model weights: registered model and task names, files that must exist), so a bad value
 * fails on its own line; the script type checker runs the same methods on literal values before the script starts.
 *
 * <pre>
 * promptTune {
 *     model 't5-mini-ppmi'; data 'spam'; length 20; init 'labels'
 *     optimizer('adafactor') { lr 0.3 }
 *     steps 300; batch 16; evalEvery 100
 * }
 * </pre>
 *
 * Java (JShell): {@code experiments.promptTune(s -> s.model("t5-mini-ppmi").data("spam").length(20).init("labels"))}.
 */
public class TuneSpec {

    /**
     * The keywords: the spec's fields ({@link PromptTuneSpec#fieldNames()}) but {@code fastDevRun}, which no script
     * sets, with the initialisers {@code text} and {@code file} after {@code init} (the type checker suggests the
     * nearest of these). One method per keyword below.
     */
    public static final List<String> KEYWORDS = keywords();

    private static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (String field : PromptTuneSpec.fieldNames()) {
            if (!field.equals("fastDevRun")) {
                out.add(field);
            }
            if (field.equals("init")) {
                out.addAll(List.of("text", "file"));
            }
        }
        return List.copyOf(out);
    }

    private static final List<String> SPLITS = List.of("train", "dev", "test");

    private final PromptTuneSpec.Builder builder = PromptTuneSpec.builder();
    private final List<Consumer<PromptTuneSpec.Builder>> settings = new ArrayList<>();
    private final java.util.Set<String> keywordsGiven = new java.util.LinkedHashSet<>();
    /** Names the keyword method that called {@link #set}: one place, rather than a name beside each of 40 setters. */
    private static final StackWalker CALLER = StackWalker.getInstance();

    /**
     * Check-only ({@link LiteralBlock}): a dev or test file that does not exist is kept rather than refused, so that
     * the template and labels can still be checked against the training file (the refusal is reported on its own).
     */
    boolean heldOutMayBeMissing;

    /** Where the cluster setting was made (its stack names the script line), for errors of its start; null: none. */
    private Throwable clusterCall;
    private ClusterBlock clusterBlock;

    public TuneSpec() {}

    /** Applies one setting now (validating it) and remembers it, so a sweep can replay the block per grid point. */
    protected TuneSpec set(Consumer<PromptTuneSpec.Builder> setting) {
        setting.accept(builder);
        settings.add(setting);
        keywordsGiven.add(CALLER.walk(frames -> frames.skip(1).findFirst().orElseThrow().getMethodName()));
        return this;
    }

    /** The keywords this block has set, in the order first set ({@code train} for {@code data train: …}). */
    java.util.Set<String> keywordsGiven() {
        return java.util.Collections.unmodifiableSet(keywordsGiven);
    }

    /** The model the block's settings name so far (the default when none). */
    String modelSoFar() {
        return builder.model();
    }

    /** The precision the block's settings name so far (the default when none). */
    String precisionSoFar() {
        return builder.precision();
    }

    /** The spec this block describes; fails when a required part (data) is missing. */
    public PromptTuneSpec build() {
        return builder.build();
    }

    /** A fresh builder with this block's settings replayed in order. */
    PromptTuneSpec.Builder replay() {
        PromptTuneSpec.Builder b = PromptTuneSpec.builder();
        replayOnto(b);
        return b;
    }

    /** This block's settings applied, in order, to {@code b}. */
    void replayOnto(PromptTuneSpec.Builder b) {
        settings.forEach(s -> s.accept(b));
    }

    /** The run's name (default: DATA-INIT-LENGTH); its record goes to SAVE/NAME-TIMESTAMP. */
    public TuneSpec name(String v) {
        return set(b -> b.name(v == null ? "" : v)); // the builder checks it (empty, path separators, length)
    }

    /** The frozen model: a registered name (folders under models/), a Hugging Face directory, or a cached hub id. */
    public TuneSpec model(String v) {
        if (v != null && !v.isBlank()) {
            ModelResolver.resolve(v); // exists? (no weights are read)
        }
        return set(b -> b.model(v));
    }

    /** Prompt length p (number of soft-prompt vectors), {@code >= 1}; the paper's default is 100. */
    public TuneSpec length(int v) {
        return set(b -> b.length(v));
    }

    /** Initialisation: {@code 'random'}, {@code 'vocab'}, {@code 'labels'}. */
    public TuneSpec init(String v) {
        PromptInit init = PromptInit.parse(v);
        return set(b -> b.init(init));
    }

    /** Initialisation from {@link #text(String)} or {@link #file(String)}. */
    public TuneSpec init(PromptInit v) {
        if (v == null) {
            throw new PromptTuneException("init is null; allowed: random, vocab, labels, text('…'), file('…')");
        }
        // Checked here, not in file(): `model file('m')` would otherwise be told "init file: m does not exist".
        if (v instanceof FileInit f && !Files.exists(f.path())) {
            // "does not exist", or what stands there instead ("is a symbolic link loop", "is a broken symbolic link")
            throw new PromptTuneException("init file: " + f.path() + " " + PathProblems.notRegularFile(f.path()));
        }
        return set(b -> b.init(v));
    }

    /** {@code init text('classify the e-mail')}: the prompt starts as the embeddings of this text's tokens. */
    public PromptInit text(String v) {
        if (v == null || v.isBlank()) {
            throw new PromptTuneException("init text is empty; allowed: a non-empty text");
        }
        return PromptInit.text(v);
    }

    /**
     * {@code init file('runs/x/prompt.safetensors')}: a saved prompt or a PEFT adapter directory. It must fit the
     * model (width, finite values) and, when it records one, have been trained on it (its embedding fingerprint).
     */
    public PromptInit file(String v) {
        return file(Map.of(), v);
    }

    /** {@code init file('p.safetensors', anyModel: true)}: a prompt trained on another model, used anyway. */
    public PromptInit file(Map<String, ?> options, String v) {
        boolean anyModel = AnyModel.of(options == null ? Map.of() : options, "init file");
        Path p = PathProblems.given(v, "init file", "a prompt file (NAME.safetensors) or a PEFT adapter folder");
        return PromptInit.file(p, anyModel);
    }

    /** Where the prompt goes: {@code 'prefix'} (default), {@code 'after_first'}, {@code 'suffix'}. */
    public TuneSpec placement(String v) {
        return set(b -> b.placement(v));
    }

    /** A registered task (folders under data/tasks/): its splits, template and labels. */
    public TuneSpec data(String v) {
        if (v == null || v.isBlank()) {
            throw new PromptTuneException("data is empty; allowed: a registered task " + TaskResolver.registeredText()
                    + " or train/dev/test files");
        }
        TaskResolver.resolve(v); // registered?
        return set(b -> b.data(v));
    }

    /** Files instead of a registered task: {@code data train: 'a.jsonl', dev: 'b.jsonl', test: 'c.jsonl'}. */
    public TuneSpec data(Map<String, ?> files) {
        for (String split : files == null ? List.<String>of() : files.keySet()) {
            if (!SPLITS.contains(split)) {
                throw new PromptTuneException("data: unknown split '" + split + "'" + Suggestions.didYouMean(split, SPLITS)
                        + "; allowed: train, dev, test");
            }
        }
        if (files == null || !files.containsKey("train")) {
            throw new PromptTuneException("data needs a train file: data train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl'");
        }
        files.forEach((split, file) -> {
            String f = String.valueOf(file);
            switch (split) {
                case "train" -> train(f);
                case "dev" -> dev(f);
                default -> test(f);
            }
        });
        return this;
    }

    /**
     * The training file (JSONL, CSV or TSV). Beside {@code data 'TASK'} it replaces that task's training split and
     * keeps its template, labels and other splits (the record's spec says both).
     */
    public TuneSpec train(String v) {
        return train(PathProblems.given(v, "data file", "a file"));
    }

    public TuneSpec train(Path v) {
        Path p = existing(v);
        return set(b -> b.train(p));
    }

    /** The dev file (default: 10% of train, carved with the seed); beside {@code data 'TASK'}, replaces its dev split. */
    public TuneSpec dev(String v) {
        return dev(PathProblems.given(v, "data file", "a file"));
    }

    public TuneSpec dev(Path v) {
        Path p = heldOutMayBeMissing ? v : existing(v);
        return set(b -> b.dev(p));
    }

    /** The test file; beside {@code data 'TASK'}, replaces its test split. */
    public TuneSpec test(String v) {
        return test(PathProblems.given(v, "data file", "a file"));
    }

    public TuneSpec test(Path v) {
        Path p = heldOutMayBeMissing ? v : existing(v);
        return set(b -> b.test(p));
    }

    /** The input template, fields in braces: {@code 'subject: {subject} message: {body}'}. */
    public TuneSpec template(String v) {
        if (v == null) {
            throw new PromptTuneException("template is null; allowed: a text with {field} slots");
        }
        Template.of(v); // parses?
        return set(b -> b.template(v));
    }

    /**
     * The verbalizer, label value → target text: {@code labels spam: 'spam', ham: 'normal'}. Any map: Groovy's
     * interpolated strings ({@code "sp${x}"}), numbers ({@code labels 1: 'yes', 0: 'no'} for numeric labels) and a
     * {@code def m = [:]} filled later are read as their text; a missing target text is refused naming its label.
     */
    public TuneSpec labels(Map<?, ?> v) {
        Map<String, String> copy = null;
        if (v != null) {
            copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : v.entrySet()) {
                if (e.getValue() == null || e.getValue() instanceof Map || e.getValue() instanceof Iterable) {
                    throw new PromptTuneException("labels: label '" + e.getKey() + "' is given " + (e.getValue() == null
                            ? "null" : e.getValue() + ", a " + (e.getValue() instanceof Map ? "map" : "list"))
                            + "; allowed: a target text, e.g. labels spam: 'spam', ham: 'normal'");
                }
                copy.put(String.valueOf(e.getKey()), e.getValue().toString());
            }
        }
        Map<String, String> labels = copy;
        return set(b -> b.labels(labels));
    }

    /** The field holding the label (default {@code label}). */
    public TuneSpec labelField(String v) {
        if (v == null || v.isBlank()) {
            throw new PromptTuneException("labelField is empty; allowed: a field name");
        }
        return set(b -> b.labelField(v));
    }

    /** {@code 'adafactor'} (the paper's, default), {@code 'adafactor-hf'} (Hugging Face's) or {@code 'adamw'}. */
    public TuneSpec optimizer(String v) {
        return set(b -> b.optimizer(v));
    }

    /** The optimiser with its settings: {@code optimizer('adamw') { lr 1e-3; weightDecay 0.01 }}. */
    public TuneSpec optimizer(String v,
            @DelegatesTo(value = OptimizerSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> settings) {
        optimizer(v);
        Closures.apply(settings, new OptimizerSpec(this));
        return this;
    }

    /** Java twin of {@link #optimizer(String, Closure)}. */
    public TuneSpec optimizer(String v, Consumer<OptimizerSpec> settings) {
        optimizer(v);
        settings.accept(new OptimizerSpec(this));
        return this;
    }

    /** Learning rate, {@code > 0}. */
    public TuneSpec lr(double v) {
        return set(b -> b.lr(v));
    }

    public TuneSpec weightDecay(double v) {
        return set(b -> b.weightDecay(v));
    }

    /** {@code 'constant'}, {@code 'warmup:N'}, {@code 'linear:N:TOTAL'}. */
    public TuneSpec schedule(String v) {
        if (v == null) {
            throw new PromptTuneException("schedule is null; allowed: constant, warmup:N, linear:N:TOTAL");
        }
        return set(b -> b.schedule(v));
    }

    public TuneSpec batch(int v) {
        return set(b -> b.batch(v));
    }

    /** Optimiser steps (the paper: 30,000). */
    public TuneSpec steps(int v) {
        return set(b -> b.steps(v));
    }

    /** Whole passes over the training data instead of a step count. */
    public TuneSpec epochs(int v) {
        return set(b -> b.epochs(v));
    }

    public TuneSpec gradientAccumulation(int v) {
        return set(b -> b.gradientAccumulation(v));
    }

    /** Evaluate on dev every N steps, keeping the best prompt (0: at the end only). */
    public TuneSpec evalEvery(int v) {
        return set(b -> b.evalEvery(v));
    }

    /** Stop after N evaluations without improvement (0: never). */
    public TuneSpec patience(int v) {
        return set(b -> b.patience(v));
    }

    public TuneSpec seed(long v) {
        return set(b -> b.seed(v));
    }

    /** Dropout while training the prompt, {@code 0 <= dropout < 1} (default: the model's). */
    public TuneSpec dropout(double v) {
        return set(b -> b.dropout(v));
    }

    /** {@code 'auto'} (default), {@code 'cpu'}, {@code 'gpu'}. */
    public TuneSpec device(String v) {
        return set(b -> b.device(v));
    }

    /** {@code 'fp32'} (default) or {@code 'fp16'}. */
    public TuneSpec precision(String v) {
        return set(b -> b.precision(v));
    }

    /** Prepend {@code <extra_id_0>} to every target (for span-corruption-only checkpoints). */
    public TuneSpec sentinel(boolean v) {
        return set(b -> b.sentinel(v));
    }

    /**
     * What training minimises: {@code 'sequence'} (default, the paper's: the target text over the whole vocabulary)
     * or {@code 'classes'} (cross-entropy over the task's classes, scored as rank classification scores them).
     */
    public TuneSpec loss(String v) {
        return set(b -> b.loss(v));
    }

    /** {@code 'accuracy'} or {@code 'macro_f1'} (default: the task's). */
    public TuneSpec metric(String v) {
        return set(b -> b.metric(v));
    }

    /** {@code 'rank'} (rank classification, default) or {@code 'generate'} (generation + exact match). */
    public TuneSpec evaluation(String v) {
        return set(b -> b.evaluation(v));
    }

    public TuneSpec maxInputLength(int v) {
        return set(b -> b.maxInputLength(v));
    }

    public TuneSpec maxTargetLength(int v) {
        return set(b -> b.maxTargetLength(v));
    }

    public TuneSpec evalBatch(int v) {
        return set(b -> b.evalBatch(v));
    }

    /** Where run records go (default {@code runs}). */
    public TuneSpec save(String v) {
        return save(Path.of(v));
    }

    public TuneSpec save(Path v) {
        set(b -> b.save(v));
        // Said here, so that `--check` says it: the run made no record and failed at its first line.
        String problem = PathProblems.cannotCreate(v);
        if (problem != null) {
            throw new PromptTuneException("save " + v + ": " + problem + "; allowed: a folder this user can write");
        }
        return this;
    }

    /** Baselines scored next to the prompt: {@code 'design'}, {@code 'majority'}, {@code 'modelTuning'}; none with no argument. */
    public TuneSpec baselines(String... v) {
        String[] copy = v.clone();
        return set(b -> b.baselines(copy));
    }

    /**
     * Calibrated rank classification (Zhao et al. 2021): each label's score minus its score on content-free inputs
     * (the template filled with "N/A", then with nothing) under the same prompt, removing the prompt's label bias.
     * Predictions and dev selection use it; the run reports the uncalibrated scores beside. Needs evaluation 'rank'.
     */
    public TuneSpec calibrate(boolean v) {
        return set(b -> b.calibrate(v));
    }

    /**
     * {@code 'none'} (default) or {@code 'residual'}: Residual Prompt Tuning (Razdaibiedina et al. 2023) trains the
     * prompt through a bottleneck MLP with a skip connection and LayerNorm; the saved prompt is the projected one.
     */
    public TuneSpec reparam(String v) {
        return set(b -> b.reparam(v));
    }

    /** The residual MLP's hidden width, {@code >= 1} (default 100). */
    public TuneSpec reparamBottleneck(int v) {
        return set(b -> b.reparamBottleneck(v));
    }

    /**
     * Train data-parallel on a cluster: {@code cluster 'local[2]'} (workers = N of local[N]). Needs a cluster backend
     * (the spark module) on the class path; checked here, before anything runs.
     */
    public TuneSpec cluster(String master) {
        ClusterSpec cluster = ClusterSpec.of(master);
        ClusterBackends.require(cluster);
        clusterCall = new Throwable("the cluster setting's call");
        return set(b -> b.cluster(cluster));
    }

    /** {@code cluster { master 'spark://head:7077'; workers 8; conf 'spark.executor.memory', '16g' }}. */
    public TuneSpec cluster(@DelegatesTo(value = ClusterBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        ClusterBlock settings = new ClusterBlock();
        Closures.apply(block, settings);
        return cluster(settings);
    }

    /** Java twin of {@link #cluster(Closure)}. */
    public TuneSpec cluster(Consumer<ClusterBlock> block) {
        ClusterBlock settings = new ClusterBlock();
        block.accept(settings);
        return cluster(settings);
    }

    private TuneSpec cluster(ClusterBlock settings) {
        ClusterSpec cluster = checkCluster(settings);
        clusterCall = new Throwable("the cluster setting's call");
        clusterBlock = settings;
        return set(b -> b.cluster(cluster));
    }

    /**
     * The cluster a {@code cluster { }} block describes, checked as {@code cluster 'URL'} is (a backend on the class
     * path that accepts it); {@link LiteralClusterBlock} runs it at compile time on a block of literals.
     */
    static ClusterSpec checkCluster(ClusterBlock settings) {
        ClusterSpec cluster = settings.build();
        ClusterBackends.require(cluster);
        return cluster;
    }

    /**
     * Runs {@code work} (this spec's run); a cluster that cannot start (Spark refused a setting, or the master does not
     * answer) is reported at the script line of the {@code conf} it names, else of the {@code cluster} setting, rather
     * than at the block's first line, where the run started.
     */
    <T> T reportingClusterStartAtItsLine(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (PromptTuneException e) {
            // Only the plain refusals of a start (a failed run is a RunFailed, said as it is).
            if (clusterCall == null || e.getClass() != PromptTuneException.class
                    || !e.getMessage().startsWith("cluster '")) {
                throw e;
            }
            Throwable at = clusterBlock != null ? clusterBlock.confCallNamedIn(e.getMessage()) : null;
            PromptTuneException moved = new PromptTuneException(e.getMessage(), e);
            moved.setStackTrace((at != null ? at : clusterCall).getStackTrace());
            throw moved;
        }
    }

    private static Path existing(Path p) {
        return PathProblems.requireFile(p, "data file");
    }
}
