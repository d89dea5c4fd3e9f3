package dev.prompttune.dsl;

import java.util.Map;

/**
 * What a tuned prompt predicts for one input ({@code predict(run, 'text')}).
 *
 * @param input the model's input text (the template filled in)
 * @param label the predicted label value (as in the data, e.g. {@code spam})
 * @param target the predicted target text (the verbalizer's, e.g. {@code spam}; with generation, what was generated)
 * @param scores label → log-likelihood of its target (rank classification; empty with generation)
 */
public record Prediction(String input, String label, String target, Map<String, Double> scores) {

    @Override
    public String toString() {
        return label;
    }
}
