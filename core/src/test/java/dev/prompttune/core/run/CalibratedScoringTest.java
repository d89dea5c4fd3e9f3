package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.eval.Calibration;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.text.T5Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibrated scoring on a real (tiny, random) model, against a derivation by hand through the model's ordinary score
 * path: the content-free inputs are the template rendered here with "N/A" and "", scored one at a time; the prior,
 * the subtraction and the argmax are computed in this test.
 */
class CalibratedScoringTest {

    @TempDir
    Path tmp;

    @Test
    void calibratedScoresEqualAHandDerivation() throws Exception {
        Path modelDir = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        Path train = TinyWorld.split(tmp.resolve("train.jsonl"), 20, 1);
        Path test = TinyWorld.split(tmp.resolve("test.jsonl"), 40, 3);
        TaskData task = TaskData.builder().train(train).test(test).template("classify: {text}")
                .verbalizer(Map.of("a", "good", "b", "never")).build();
        try (Session session = new Session()) {
            T5Tokenizer tokenizer = session.tokenizer(modelDir);
            T5Model model = session.model(modelDir, "fp32", "cpu");
            TaskArrays arrays = TaskArrays.of(task, tokenizer, 64, 8, false);
            int width = model.config().dModel;
            float[] values = new float[5 * width];
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            try (SoftPrompt prompt = SoftPrompt.of(values, 5, width, session.manager())) {
                EncoderInput input = EncoderInput.prompted(prompt, Placement.PREFIX);
                long[][] classTargets = arrays.classTargets();

                // By hand: the content-free inputs, each scored alone through the rank classifier.
                long[][] byHand = {tokenizer.encode("classify: N/A"), tokenizer.encode("classify: ")};
                long[][] contentFree = Calibration.contentFreeInputs(task, tokenizer, 64, 8);
                assertArrayEquals(byHand, contentFree, "the template filled with N/A, then with nothing");
                int classes = classTargets.length;
                double[] mean = new double[classes];
                for (long[] cf : byHand) {
                    float[] s = RankClassifier.score(model, input, new long[][] {cf}, classTargets, 1, session.manager())[0];
                    double z = 0;
                    for (float v : s) {
                        z += Math.exp(v);
                    }
                    for (int c = 0; c < classes; c++) {
                        mean[c] += Math.exp(s[c]) / z / byHand.length;
                    }
                }
                double[] prior = {Math.log(mean[0]), Math.log(mean[1])};
                assertTrue(Math.abs(prior[0] - prior[1]) > 0.01, "the prompt has a label bias to remove: " + prior[0] + " vs " + prior[1]);
                float[][] raw = RankClassifier.score(model, input, arrays.test().inputs(), classTargets, 8, session.manager());
                int[] gold = arrays.test().classes();
                int[] expected = new int[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    expected[i] = raw[i][0] - prior[0] >= raw[i][1] - prior[1] ? 0 : 1;
                }

                Scorer scorer = new Scorer(model, tokenizer, arrays.targetTexts(), "accuracy", "rank", 8, 8, session.manager(),
                        contentFree);
                ScoredSplit scored = scorer.score(input, arrays.test());
                assertEquals(Metrics.accuracy(gold, expected), scored.value(), 0.0, "calibrated accuracy");
                assertEquals(Metrics.accuracy(gold, RankClassifier.argmax(raw)), scored.uncalibrated(), 0.0, "uncalibrated accuracy");
                assertEquals(prior[0], scored.prior()[0], 1e-5);
                assertEquals(prior[1], scored.prior()[1], 1e-5);
                for (int i = 0; i < raw.length; i++) {
                    PromptTuneRun.Prediction p = scored.predictions().get(i);
                    assertEquals(raw[i][0] - prior[0], p.scores()[0], 1e-4);
                    assertEquals(raw[i][1] - prior[1], p.scores()[1], 1e-4);
                    assertEquals(arrays.targetTexts().get(expected[i]), p.predicted());
                }
                // Without content-free inputs, the same scorer is plain rank classification.
                Scorer plain = new Scorer(model, tokenizer, arrays.targetTexts(), "accuracy", "rank", 8, 8, session.manager());
                assertEquals(scored.uncalibrated(), plain.score(input, arrays.test()).value(), 0.0);
            }
        }
    }
}
