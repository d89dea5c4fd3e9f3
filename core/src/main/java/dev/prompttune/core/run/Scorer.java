package dev.prompttune.core.run;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.eval.EvaluationMode;
import dev.prompttune.core.eval.GenerationEvaluator;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TokenizedTask;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a split with a given encoder input (prompted or plain): rank classification over the labels, or
 * generation + exact match; the task's metric (accuracy or macro-F1) over the predicted classes; per-example
 * predictions kept. With content-free inputs ({@code contentFree} not null: the spec's {@code calibrate true}), rank
 * classification predicts from calibrated scores ({@link Calibration}) and also reports the uncalibrated metric.
 *
 * @param contentFree encoder ids of the content-free inputs, or null for plain rank classification
 */
public record Scorer(T5Model model, T5Tokenizer tokenizer, List<String> targetTexts, String metric, String evaluation,
              int batch, int maxNewTokens, NDManager manager, long[][] contentFree) {

    /** A scorer without calibration. */
    public Scorer(T5Model model, T5Tokenizer tokenizer, List<String> targetTexts, String metric, String evaluation,
                  int batch, int maxNewTokens, NDManager manager) {
        this(model, tokenizer, targetTexts, metric, evaluation, batch, maxNewTokens, manager, null);
    }

    public ScoredSplit score(EncoderInput input, TokenizedTask split) {
        int[] predicted;
        float[][] scores = null;
        List<String> generated = null;
        double uncalibrated = Double.NaN;
        double[] prior = null;
        if (EvaluationMode.of(evaluation) == EvaluationMode.GENERATE) {
            generated = GenerationEvaluator.generate(model, input, split.inputs(), tokenizer, maxNewTokens, batch, manager);
            predicted = GenerationEvaluator.classes(generated, targetTexts);
        } else if (contentFree != null) {
            Calibration.Scores s = Calibration.score(model, input, split.inputs(), contentFree, split.classTargets(), batch,
                    manager);
            scores = s.calibrated();
            prior = s.prior();
            predicted = RankClassifier.argmax(scores);
            uncalibrated = metric(split, RankClassifier.argmax(s.raw()));
        } else {
            scores = RankClassifier.score(model, input, split.inputs(), split.classTargets(), batch, manager);
            predicted = RankClassifier.argmax(scores);
        }
        double value = metric(split, predicted);
        List<PromptTuneRun.Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            String gold = split.classes()[i] >= 0 ? targetTexts.get(split.classes()[i]) : null;
            String guess = generated != null ? generated.get(i) : targetTexts.get(predicted[i]);
            predictions.add(new PromptTuneRun.Prediction(i, tokenizer.decode(split.inputs()[i]), gold, guess,
                    scores != null ? scores[i] : null));
        }
        return new ScoredSplit(value, predictions, predicted, uncalibrated, prior);
    }

    /** The metric over the split, NaN when an example has no gold label (ad-hoc inputs to predict). */
    private double metric(TokenizedTask split, int[] predicted) {
        for (int g : split.classes()) {
            if (g < 0) {
                return Double.NaN;
            }
        }
        return split.size() == 0 ? Double.NaN : Metric.of(metric).score(split.classes(), predicted, targetTexts.size());
    }

    public double value(EncoderInput input, TokenizedTask split) {
        return score(input, split).value();
    }
}
