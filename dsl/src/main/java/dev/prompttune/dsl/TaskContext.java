package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.eval.EvaluationMode;
import dev.prompttune.core.eval.GenerationEvaluator;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.run.TaskArrays;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TokenizedTask;
import java.util.List;

/**
 * A spec's task and model, ready to score: what {@code evaluate}, {@code predict}, {@code ensemble} and
 * {@code baseline} share. The spec is validated by {@link PromptTuning#prepare} before the model is taken from the
 * session (loaded at most once per session). Splits are tokenized as training tokenizes them
 * ({@link TaskData#tokenize}); class targets get {@code <extra_id_0>} first when the spec asks for the sentinel.
 */
final class TaskContext {

    final PromptTuneSpec spec;
    final PromptTuning.Prepared prepared;
    final T5Tokenizer tokenizer;
    private T5Model model;
    final Session session;
    final long[][] classTargets;
    final List<String> targetTexts;

    /** Inputs, targets and gold classes of one split (class −1: unlabelled). */
    record Tokenized(String name, long[][] inputs, long[][] targets, int[] classes) {

        TokenizedTask task(long[][] classTargets) {
            return new TokenizedTask(name, inputs, targets, classes, classTargets);
        }

        boolean labelled() {
            for (int c : classes) {
                if (c < 0) {
                    return false;
                }
            }
            return classes.length > 0;
        }
    }

    /**
     * A split scored: the metric (NaN without gold labels), predicted classes (−1: none) and class scores (calibrated
     * when the spec says {@code calibrate true}; {@code uncalibrated} is then the metric of the raw scores, else NaN).
     */
    record Scored(double value, int[] predicted, float[][] scores, List<String> generated, double uncalibrated) {}

    private TaskContext(Session session, PromptTuneSpec spec) {
        this.session = session;
        this.prepared = new PromptTuning(session).prepare(spec);
        this.spec = prepared.spec(); // capped when this is a fast dev run
        this.tokenizer = session.tokenizer(prepared.modelDir());
        this.targetTexts = prepared.task().data().verbalizer().targets();
        this.classTargets = new long[targetTexts.size()][];
        for (int c = 0; c < classTargets.length; c++) {
            classTargets[c] = withSentinel(tokenizer.encode(targetTexts.get(c)));
        }
    }

    static TaskContext of(Session session, PromptTuneSpec spec) {
        return new TaskContext(session, spec);
    }

    /** The frozen model, taken from the session on first use (majority needs none). */
    T5Model model() {
        if (model == null) {
            model = session.model(prepared.modelDir(), spec.precision(), spec.device());
        }
        return model;
    }

    TaskData data() {
        return prepared.task().data();
    }

    String metric() {
        return prepared.task().metric();
    }

    /** The labelled split that results are reported on: test when it has labels, else dev. */
    Tokenized target() {
        TaskData data = data();
        Split split = data.test().filter(data::isLabeled).or(data::dev)
                .orElseThrow(() -> new PromptTuneException("task " + prepared.task().taskName()
                        + " has neither a labelled test split nor a dev split to score"));
        return tokenize(split);
    }

    Tokenized tokenize(Split split) {
        TokenizedSplit t = data().tokenize(split, tokenizer, spec.maxInputLength(), spec.maxTargetLength());
        return tokenized(split.name(), t);
    }

    /** Ad-hoc examples (for predict), tokenized like training data; unlabelled examples get class −1. */
    Tokenized tokenize(List<Example> examples) {
        Split split = new Split("predict", "predict", examples);
        TokenizedSplit t = TokenizedSplit.tokenize(split, data().template(), data().verbalizer(), tokenizer,
                spec.maxInputLength(), spec.maxTargetLength());
        return tokenized("predict", t);
    }

    private Tokenized tokenized(String name, TokenizedSplit t) {
        int n = t.size();
        long[][] inputs = new long[n][];
        long[][] targets = new long[n][];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = longs(t.inputIds(i));
            targets[i] = withSentinel(longs(t.targetIds(i)));
            classes[i] = t.labelIndex(i);
        }
        return new Tokenized(name, inputs, targets, classes);
    }

    /**
     * Scores a split with {@code input} (prompted or plain) as the spec's evaluation says (rank or generate), with
     * calibrated ranking when the spec says {@code calibrate true}.
     */
    Scored score(T5Model with, EncoderInput input, Tokenized split) {
        int[] predicted;
        float[][] scores = null;
        List<String> generated = null;
        double uncalibrated = Double.NaN;
        if (EvaluationMode.of(spec.evaluation()) == EvaluationMode.GENERATE) {
            generated = GenerationEvaluator.generate(with, input, split.inputs(), tokenizer, spec.maxTargetLength(),
                    spec.evalBatch(), session.manager());
            predicted = GenerationEvaluator.classes(generated, targetTexts);
        } else if (spec.calibrate()) {
            Calibration.Scores s = Calibration.score(with, input, split.inputs(), contentFree(), classTargets, spec.evalBatch(),
                    session.manager());
            scores = s.calibrated();
            predicted = RankClassifier.argmax(scores);
            uncalibrated = metric(split.classes(), RankClassifier.argmax(s.raw()));
        } else {
            scores = RankClassifier.score(with, input, split.inputs(), classTargets, spec.evalBatch(), session.manager());
            predicted = RankClassifier.argmax(scores);
        }
        return new Scored(metric(split.classes(), predicted), predicted, scores, generated, uncalibrated);
    }

    /** The task's content-free inputs (for {@code calibrate true}), tokenized as its examples are. */
    long[][] contentFree() {
        return Calibration.contentFreeInputs(data(), tokenizer, spec.maxInputLength(), spec.maxTargetLength());
    }

    Scored score(EncoderInput input, Tokenized split) {
        return score(model(), input, split);
    }

    /** The task's metric of {@code predicted} against {@code gold}; NaN when an example has no gold label. */
    double metric(int[] gold, int[] predicted) {
        for (int g : gold) {
            if (g < 0) {
                return Double.NaN;
            }
        }
        if (gold.length == 0) {
            return Double.NaN;
        }
        return Metric.of(metric()).score(gold, predicted, targetTexts.size());
    }

    private long[] withSentinel(long[] ids) {
        return TaskArrays.withSentinel(ids, spec.sentinel(), tokenizer);
    }

    private static long[] longs(int[] ids) {
        return TaskArrays.toLong(ids);
    }
}
