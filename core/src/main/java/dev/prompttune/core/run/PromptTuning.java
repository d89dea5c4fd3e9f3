package dev.prompttune.core.run;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.InitContext;
import dev.prompttune.core.prompt.ResidualReparam;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptio.PromptCheck;
import dev.prompttune.core.promptio.PromptFile;
import dev.prompttune.core.promptio.PromptMetadata;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.TrainingResult;
import dev.prompttune.core.train.TrainingSettings;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import dev.prompttune.core.train.optim.OptimizerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prompt tuning as one call: {@code PromptTuning.run(spec, listeners)}. Everything that can be checked without the
 * model's weights is checked first (data files, template slots, labels, empty splits, model directory and width,
 * device, precision); then the frozen model is loaded (once per session), the prompt initialised, trained with
 * the given listeners and a run record, and evaluated on test alongside the requested baselines. An interrupted
 * run (the thread's interrupt: a notebook's stop button, the command line's Ctrl-C) is scored and recorded the same
 * way, marked INTERRUPTED; a run whose first step already had no finite loss is recorded as FAILED and throws
 * {@link RunFailed}.
 */
public final class PromptTuning {

    private static final Logger LOG = LoggerFactory.getLogger(PromptTuning.class);

    private final Session session;

    public PromptTuning(Session session) {
        this.session = session;
    }

    /** Runs a spec in the shared session. */
    public static PromptTuneRun run(PromptTuneSpec spec, TrainingListener... listeners) {
        return new PromptTuning(Session.shared()).execute(spec, List.of(listeners));
    }

    /**
     * Everything checkable before loading weights; returns the resolved pieces. The spec to run is
     * {@link Prepared#spec()}: the one given, or capped when this is a fast dev run ({@link FastDevRun}).
     */
    public Prepared prepare(PromptTuneSpec requested) {
        PromptTuneSpec spec = FastDevRun.apply(requested);
        Prepared prepared = resolve(spec);
        Session.device(spec.device());
        return prepared;
    }

    /**
     * What {@link #prepare} checks except the device (the one check that starts the engine): data, template, labels,
     * model directory and config, prompt file width. Cheap enough for a script's compile-time checks.
     */
    public static Prepared resolve(PromptTuneSpec spec) {
        TaskSetup task = TaskSetup.resolve(spec);
        Path modelDir = ModelResolver.resolve(spec.model());
        T5Config config = T5Config.load(modelDir);
        if (spec.init() instanceof FileInit file) {
            // Width and values now, before any weights load; the fingerprint once the model is loaded (FileInit.values).
            file.load(PromptCheck.Target.widthOnly(spec.model(), config.dModel));
        }
        return new Prepared(spec, task, modelDir, config);
    }

    /** A spec resolved and validated, not yet run. */
    public record Prepared(PromptTuneSpec spec, TaskSetup task, Path modelDir, T5Config config) {}

    public PromptTuneRun execute(PromptTuneSpec requested, List<TrainingListener> listeners) {
        Prepared prepared = prepare(requested);
        PromptTuneSpec spec = prepared.spec();
        T5Tokenizer tokenizer = session.tokenizer(prepared.modelDir());
        TaskArrays arrays = TaskArrays.of(prepared.task().data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength(),
                spec.sentinel());
        T5Model model = session.model(prepared.modelDir(), spec.precision(), spec.device());
        NDManager root = session.manager();
        Scorer scorer = scorer(spec, prepared, model, tokenizer, arrays, root);

        List<String> warnings = new ArrayList<>();
        InitContext ctx = new InitContext(spec.length(), prepared.config().dModel, model.embeddingTable(), tokenizer,
                arrays.targetTexts(), spec.seed(), w -> {
                    warnings.add(w);
                    LOG.warn(w);
                }, spec.model());
        long startRss = ProcessMemory.resetPeak() ? 0 : -1;
        try (SoftPrompt prompt = SoftPrompt.of(spec.init().values(ctx), spec.length(), prepared.config().dModel, root);
             ResidualReparam reparam = spec.reparam().equals("residual")
                     ? ResidualReparam.create(prepared.config().dModel, spec.reparamBottleneck(), spec.seed(), root) : null;
             Optimizer optimizer = optimizer(spec, root);
             RunRecord record = RunRecord.create(spec.save(), spec)) {
            List<TrainingListener> all = new ArrayList<>(listeners);
            all.add(record);
            Trainable trainable = reparam == null ? Trainable.prompt(prompt, spec.placement())
                    : Trainable.residualPrompt(prompt, reparam, spec.placement());
            Trainer trainer = new Trainer(model, trainable, optimizer, settings(spec, arrays), prepared.task().metric(), all);
            if (arrays.dev() != null) {
                trainer.withDevEvaluator(input -> scorer.value(input, arrays.dev()));
            }
            TrainingResult result = trainer.run(spec.name(), arrays.train(), arrays.dev(), root);
            if (reparam != null) {
                // The MLP has done its work: from here on (scoring, the record, files, ensembles, PEFT) the prompt
                // is the plain matrix P' the model saw.
                prompt.set(reparam.projectFloats(prompt));
            }
            boolean failed = result.reason() == StopReason.FAILED;

            // A failed run trained nothing: there is nothing to score, only a record that says so.
            EncoderInput tuned = EncoderInput.prompted(prompt, spec.placement());
            Scorer.Scored test = arrays.test() != null && !failed ? scorer.score(tuned, arrays.test()) : null;
            Map<String, Scorer.Scored> scoredBaselines = new LinkedHashMap<>();
            Map<String, Double> baselines = failed ? Map.of() : baselines(spec, prepared, arrays, scorer, root, scoredBaselines);
            PromptTuneRun.Uncalibrated uncalibrated = null;
            if (spec.calibrate() && !failed) {
                // The best prompt's dev scores again, for the uncalibrated dev metric beside the calibrated one.
                Scorer.Scored dev = arrays.dev() != null && !Double.isNaN(result.bestValue()) ? scorer.score(tuned, arrays.dev()) : null;
                Scorer.Scored priorSource = test != null ? test : dev;
                uncalibrated = new PromptTuneRun.Uncalibrated(dev != null ? dev.uncalibrated() : Double.NaN,
                        test != null ? test.uncalibrated() : Double.NaN, uncalibratedBaselines(scoredBaselines),
                        priorSource == null ? Map.of() : prior(arrays.targetTexts(), priorSource.prior()));
            }
            PromptTuneRun run = new PromptTuneRun(spec, record.id(), record.dir(), prepared.task().metric(), result.bestValue(),
                    result.bestStep(), test != null ? test.value() : Double.NaN, baselines, result.steps(), result.seconds(),
                    startRss < 0 ? -1 : ProcessMemory.peakRssMib(), result.paramsTrainable(), result.paramsTotal(),
                    result.reason(), prompt.toFloats(), spec.length(), prepared.config().dModel, result.losses(),
                    result.evals(), test != null ? test.predictions() : List.of(), uncalibrated);
            record.finish(run, metadata(spec, prepared, model, optimizer, result), result.failure());
            if (failed) {
                throw new RunFailed(spec.name(), result.failure(), record.dir());
            }
            if (result.reason() == StopReason.DIVERGED) {
                LOG.warn("{}: {}", spec.name(), result.failure());
            }
            return run;
        }
    }

    /** The spec's scorer: calibrated rank classification when the spec says {@code calibrate true}. */
    private static Scorer scorer(PromptTuneSpec spec, Prepared prepared, T5Model model, T5Tokenizer tokenizer,
                                 TaskArrays arrays, NDManager root) {
        long[][] contentFree = spec.calibrate() ? contentFree(spec, prepared, tokenizer) : null;
        return new Scorer(model, tokenizer, arrays.targetTexts(), prepared.task().metric(), spec.evaluation(),
                spec.evalBatch(), spec.maxTargetLength(), root, contentFree);
    }

    /** The task's content-free inputs, tokenized as its examples are (the sentinel only touches targets). */
    private static long[][] contentFree(PromptTuneSpec spec, Prepared prepared, T5Tokenizer tokenizer) {
        return Calibration.contentFreeInputs(prepared.task().data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength());
    }

    private static Map<String, Double> uncalibratedBaselines(Map<String, Scorer.Scored> scored) {
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
    public Scorer.Scored reevaluate(Path recordDir) {
        return reevaluate(recordDir, false);
    }

    /** {@link #reevaluate(Path)}; {@code anyModel}: even if the prompt records another model's embedding fingerprint. */
    public Scorer.Scored reevaluate(Path recordDir, boolean anyModel) {
        PromptTuneRun saved = RunRecord.load(recordDir);
        Prepared prepared = prepare(saved.spec());
        PromptTuneSpec spec = prepared.spec();
        T5Tokenizer tokenizer = session.tokenizer(prepared.modelDir());
        TaskArrays arrays = TaskArrays.of(prepared.task().data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength(),
                spec.sentinel());
        T5Model model = session.model(prepared.modelDir(), spec.precision(), spec.device());
        Scorer scorer = scorer(spec, prepared, model, tokenizer, arrays, session.manager());
        try (SoftPrompt prompt = PromptFile.loadOnto(recordDir.resolve("prompt.safetensors"), model, anyModel)
                .toSoftPrompt(session.manager())) {
            return scorer.score(EncoderInput.prompted(prompt, spec.placement()), arrays.test() != null ? arrays.test() : arrays.dev());
        }
    }

    /**
     * The baselines the spec asks for, scored on test (dev when there is no labelled test split); those that score
     * labels (design, modelTuning) also go to {@code scored} (calibrated with the spec's {@code calibrate}).
     */
    private Map<String, Double> baselines(PromptTuneSpec spec, Prepared prepared, TaskArrays arrays, Scorer scorer, NDManager root,
                                          Map<String, Scorer.Scored> scored) {
        Map<String, Double> out = new LinkedHashMap<>();
        var target = arrays.test() != null ? arrays.test() : arrays.dev();
        if (target == null) {
            return out;
        }
        for (String b : spec.baselines()) {
            switch (b) {
                case "design" -> scored.put("design", scorer.score(EncoderInput.plain(), target));
                case "majority" -> out.put("majority", majority(arrays.train().classes(), target.classes(), arrays.classTargets().length,
                        prepared.task().metric()));
                case "modelTuning" -> scored.put("modelTuning", modelTuning(spec, prepared, arrays, root));
                default -> throw new PromptTuneException("baseline '" + b + "' is not known; allowed: " + PromptTuneSpec.BASELINES);
            }
            if (scored.containsKey(b)) {
                out.put(b, scored.get(b).value());
            }
        }
        return out;
    }

    /** Always predicting the most frequent training class. */
    static double majority(int[] train, int[] gold, int classes, String metric) {
        int[] counts = new int[classes];
        for (int c : train) {
            counts[c]++;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        int[] predicted = new int[gold.length];
        java.util.Arrays.fill(predicted, best);
        return Metric.of(metric).score(gold, predicted, classes);
    }

    /** The model-tuning baseline: every weight trained on the same data and loop (a separate copy of the model). */
    private Scorer.Scored modelTuning(PromptTuneSpec spec, Prepared prepared, TaskArrays arrays, NDManager root) {
        try (T5Model copy = session.freshModel(prepared.modelDir(), spec.precision(), spec.device());
             Optimizer optimizer = Adafactor.paper(1e-3f).build(root)) {
            copy.setTrainable(true);
            Trainer trainer = new Trainer(copy, Trainable.model(copy), optimizer, settings(spec, arrays), prepared.task().metric(), List.of());
            Scorer scorer = scorer(spec, prepared, copy, session.tokenizer(prepared.modelDir()), arrays, root);
            if (arrays.dev() != null) {
                trainer.withDevEvaluator(input -> scorer.value(input, arrays.dev()));
            }
            trainer.run(spec.name() + "-model-tuning", arrays.train(), arrays.dev(), root);
            var target = arrays.test() != null ? arrays.test() : arrays.dev();
            return scorer.score(EncoderInput.plain(), target);
        }
    }

    static TrainingSettings settings(PromptTuneSpec spec, TaskArrays arrays) {
        int steps = spec.steps();
        if (spec.epochs() > 0) {
            long perStep = (long) spec.batch() * spec.gradientAccumulation();
            steps = (int) Math.max(1, (spec.epochs() * (long) arrays.train().size() + perStep - 1) / perStep);
        }
        return new TrainingSettings(steps, spec.batch(), spec.gradientAccumulation(), spec.evalEvery(), spec.patience(),
                spec.seed(), spec.dropout() == null ? null : spec.dropout().floatValue(), spec.evalBatch());
    }

    static Optimizer optimizer(PromptTuneSpec spec, NDManager root) {
        LearningRateSchedule schedule = LearningRateSchedule.parse(spec.schedule());
        float lr = (float) spec.lr();
        return OptimizerKind.of(spec.optimizer()).build(lr, (float) spec.weightDecay(), schedule, root);
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
        hyper.put("sentinel", spec.sentinel());
        if (spec.calibrate()) {
            hyper.put("calibrate", true); // how the prompt's predictions are meant to be made
        }
        if (spec.fastDevRun()) {
            hyper.put("fastDevRun", true); // a smoke-test prompt (10 steps): it must not pass for a result
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
