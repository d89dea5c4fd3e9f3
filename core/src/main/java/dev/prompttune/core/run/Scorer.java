package dev.prompttune.core.run;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.eval.GenerationEvaluator;
import dev.prompttune.core.eval.Metrics;
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
 * predictions kept.
 */
public record Scorer(T5Model model, T5Tokenizer tokenizer, List<String> targetTexts, String metric, String evaluation,
              int batch, int maxNewTokens, NDManager manager) {

    /** A split's metric and per-example predictions. */
    public record Scored(double value, List<PromptTuneRun.Prediction> predictions) {}

    Scored score(EncoderInput input, TokenizedTask split) {
        int[] predicted;
        float[][] scores = null;
        List<String> generated = null;
        if (evaluation.equals("generate")) {
            generated = GenerationEvaluator.generate(model, input, split.inputs(), tokenizer, maxNewTokens, batch, manager);
            predicted = GenerationEvaluator.classes(generated, targetTexts);
        } else {
            scores = RankClassifier.score(model, input, split.inputs(), split.classTargets(), batch, manager);
            predicted = RankClassifier.argmax(scores);
        }
        double value = metric.equals("macro_f1") ? Metrics.macroF1(split.classes(), predicted, targetTexts.size())
                : Metrics.accuracy(split.classes(), predicted);
        List<PromptTuneRun.Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            String gold = split.classes()[i] >= 0 ? targetTexts.get(split.classes()[i]) : null;
            String guess = generated != null ? generated.get(i) : targetTexts.get(predicted[i]);
            predictions.add(new PromptTuneRun.Prediction(i, tokenizer.decode(split.inputs()[i]), gold, guess,
                    scores != null ? scores[i] : null));
        }
        return new Scored(value, predictions);
    }

    double value(EncoderInput input, TokenizedTask split) {
        return score(input, split).value();
    }
}
