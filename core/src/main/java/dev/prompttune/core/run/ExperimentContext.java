package dev.prompttune.core.run;

import ai.djl.ndarray.NDArray;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.ensemble.PromptEnsemble;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.TrainingLoss;
import dev.prompttune.core.train.TrainingSettings;
import java.util.List;

/**
 * One experiment's resolved pieces, shared by every verb that trains or scores (prompt tuning, re-evaluation,
 * predict, evaluate, ensemble, baselines, mixed batches): the spec as it runs (capped for a fast dev run), its task
 * and model directory, the tokenizer, the task's splits tokenized once ({@link TaskArrays}; class targets start with
 * {@code <extra_id_0>} when the spec asks for the sentinel), the frozen model (taken from the session on first use,
 * so a majority baseline loads none) and the spec's scorer.
 */
public final class ExperimentContext {

    private final Session session;
    private final PromptTuning.Prepared prepared;
    private final T5Tokenizer tokenizer;
    private TaskArrays arrays;
    private T5Model model;
    private long[][] contentFree;
    private Scorer scorer;

    private ExperimentContext(Session session, PromptTuning.Prepared prepared) {
        this.session = session;
        this.prepared = prepared;
        this.tokenizer = session.tokenizer(prepared.modelDir());
    }

    /** Validates {@code requested} ({@link PromptTuning#prepare}) and resolves its task and tokenizer. */
    public static ExperimentContext of(Session session, PromptTuneSpec requested) {
        return new ExperimentContext(session, new PromptTuning(session).prepare(requested));
    }

    /** The context scoring a trained prompt needs ({@link PromptTuning#prepareToScore}): not its init file. */
    public static ExperimentContext toScore(Session session, PromptTuneSpec spec) {
        return new ExperimentContext(session, new PromptTuning(session).prepareToScore(spec));
    }

    /** The context {@code predict} needs ({@link PromptTuning#prepareToPredict}): no training data required. */
    public static ExperimentContext toPredict(Session session, PromptTuneSpec spec) {
        return new ExperimentContext(session, new PromptTuning(session).prepareToPredict(spec));
    }

    static ExperimentContext of(Session session, PromptTuning.Prepared prepared) {
        return new ExperimentContext(session, prepared);
    }

    public Session session() {
        return session;
    }

    /** The spec as it runs: the requested one, capped when this is a fast dev run. */
    public PromptTuneSpec spec() {
        return prepared.spec();
    }

    public PromptTuning.Prepared prepared() {
        return prepared;
    }

    public T5Tokenizer tokenizer() {
        return tokenizer;
    }

    public TaskData data() {
        return prepared.task().data();
    }

    public String taskName() {
        return prepared.task().taskName();
    }

    /** The task's metric by name ({@link dev.prompttune.core.eval.Metric#key()}). */
    public String metric() {
        return prepared.task().metric();
    }

    /** The frozen model, from the session (loaded at most once per session). */
    public T5Model model() {
        if (model == null) {
            PromptTuneSpec spec = spec();
            model = session.model(prepared.modelDir(), spec.precision(), spec.device());
        }
        return model;
    }

    /** The task's splits as the trainer's arrays (tokenized once, through the data cache). */
    public TaskArrays arrays() {
        if (arrays == null) {
            PromptTuneSpec spec = spec();
            arrays = TaskArrays.of(data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength(), spec.sentinel());
        }
        return arrays;
    }

    /** Each class's target ids [class][tokens]. */
    public long[][] classTargets() {
        return arrays().classTargets();
    }

    /** Each class's target text (the verbalizer's words), in class order. */
    public List<String> targetTexts() {
        return arrays().targetTexts();
    }

    /** The split results are reported on: test when it is labelled, else dev. */
    public TokenizedTask target() {
        TaskArrays a = arrays();
        if (a.test() != null) {
            return a.test();
        }
        if (a.dev() != null) {
            return a.dev();
        }
        throw new PromptTuneException("task " + taskName() + " has neither a labelled test split nor a dev split to score");
    }

    /** Ad-hoc examples (for predict), tokenized as the task's are; an unlabelled example gets class −1. */
    public TokenizedTask tokenize(List<Example> examples) {
        PromptTuneSpec spec = spec();
        TokenizedSplit t = TokenizedSplit.tokenize(new Split("predict", "predict", examples), data().template(),
                data().verbalizer(), tokenizer, spec.maxInputLength(), spec.maxTargetLength());
        return TaskArrays.task("predict", t, spec.sentinel(), tokenizer, classTargets());
    }

    /** The task's content-free inputs (for {@code calibrate true}), tokenized as its examples are. */
    public long[][] contentFree() {
        if (contentFree == null) {
            PromptTuneSpec spec = spec();
            contentFree = Calibration.contentFreeInputs(data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength());
        }
        return contentFree;
    }

    /** The spec's scorer over {@code with}: calibrated rank classification when the spec says {@code calibrate true}. */
    public Scorer scorer(T5Model with) {
        PromptTuneSpec spec = spec();
        return new Scorer(with, tokenizer, targetTexts(), metric(), spec.evaluation(), spec.evalBatch(),
                spec.maxTargetLength(), session.manager(), spec.calibrate() ? contentFree() : null);
    }

    /** {@link #scorer(T5Model)} over the frozen model (made once: prompt tuning, baselines and scoring share it). */
    public Scorer scorer() {
        if (scorer == null) {
            scorer = scorer(model());
        }
        return scorer;
    }

    /** {@code split} scored with {@code prompt} in front of each input, as the spec scores (calibrated or not). */
    public ScoredSplit score(SoftPrompt prompt, TokenizedTask split) {
        return scorer().score(EncoderInput.prompted(prompt, spec().placement()), split);
    }

    /**
     * The test split scored with {@code prompt}; {@code what} names the caller in the error for a test split whose
     * examples have no labels (predict is for those).
     */
    public ScoredSplit scoreTest(SoftPrompt prompt, String what) {
        TokenizedTask test = arrays().test(); // null unless the examples are labelled
        if (test == null) {
            throw new PromptTuneException(what + " has examples without the label field '" + data().labelField()
                    + "'; use predict for unlabelled data");
        }
        return score(prompt, test);
    }

    /**
     * Prompts of this task voting by majority on the target split (paper §7), all scored in one batched pass; with
     * {@code calibrate true} each member's scores lose its own prompt's content-free prior before the vote.
     */
    public PromptEnsemble.Result ensemble(List<SoftPrompt> prompts) {
        PromptTuneSpec spec = spec();
        TokenizedTask split = target();
        List<NDArray> values = prompts.stream().map(SoftPrompt::value).toList();
        int perBatch = Math.max(1, spec.evalBatch() / prompts.size());
        float[][][] scores = PromptEnsemble.score(model(), values, spec.placement(), split.inputs(), classTargets(),
                perBatch, session.manager());
        if (spec.calibrate()) {
            float[][][] contentFree = PromptEnsemble.score(model(), values, spec.placement(), contentFree(), classTargets(),
                    perBatch, session.manager());
            for (int m = 0; m < scores.length; m++) {
                scores[m] = Calibration.apply(scores[m], Calibration.prior(contentFree[m]));
            }
        }
        return PromptEnsemble.summarize(scores, split.classes(), PromptEnsemble.Vote.MAJORITY);
    }

    /** The trainer's settings for this spec; {@code epochs} become steps over the training split. */
    public TrainingSettings trainingSettings() {
        PromptTuneSpec spec = spec();
        int steps = spec.steps();
        if (spec.epochs() > 0) {
            long perStep = spec.examplesPerStep(arrays().train().size());
            steps = (int) Math.max(1, (spec.epochs() * (long) arrays().train().size() + perStep - 1) / perStep);
        }
        return new TrainingSettings(steps, spec.batch(), spec.gradientAccumulation(), spec.evalEvery(), spec.patience(),
                spec.seed(), spec.dropout() == null ? null : spec.dropout().floatValue(), spec.evalBatch())
                .withLoss(TrainingLoss.of(spec.loss()));
    }
}
