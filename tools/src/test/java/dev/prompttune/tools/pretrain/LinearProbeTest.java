package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.testing.TinyWorld;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearProbeTest {

    @TempDir
    Path tmp;

    /** n points per class around class centres 4 apart on their own axes (unit noise): linearly separable. */
    private static double[][] blobs(int n, int classes, int d, long seed, int[] y) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n * classes][d];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) {
                x[i][j] = (j == y[i] ? 4 : 0) + gaussian(r);
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void theRegressionSeparatesSeparableClassesAndNotRandomLabels() {
        int[] y = new int[600];
        double[][] x = blobs(200, 3, 8, 1, y);
        int[] yTest = new int[600];
        double[][] xTest = blobs(200, 3, 8, 2, yTest);
        SoftmaxRegression fit = SoftmaxRegression.fit(x, y, 3, 1e-2, LinearProbe.ITERATIONS, LinearProbe.LEARNING_RATE);
        // Bayes error of this problem is about 1 % (centres 4·√2 apart, unit noise).
        assertTrue(Metrics.accuracy(yTest, fit.predict(xTest)) > 0.95);

        SplittableRandom r = new SplittableRandom(3);
        int[] shuffled = Arrays.stream(y).map(v -> r.nextInt(3)).toArray();
        SoftmaxRegression noise = SoftmaxRegression.fit(x, shuffled, 3, 1e-2, LinearProbe.ITERATIONS, LinearProbe.LEARNING_RATE);
        int[] testNoise = Arrays.stream(yTest).map(v -> r.nextInt(3)).toArray();
        // Chance is 1/3; with 600 test points its standard deviation is 0.019.
        assertTrue(Metrics.accuracy(testNoise, noise.predict(xTest)) < 0.42);
    }

    @Test
    void majorityIsTheMostFrequentTrainingClassScoredOnTest() {
        assertEquals(0.25, LinearProbe.majority(new int[] {0, 1, 1, 2}, new int[] {1, 0, 0, 2}, 3));
        assertEquals(0.5, LinearProbe.majority(new int[] {0, 1}, new int[] {0, 1}, 2), "a tie goes to the lowest class");
    }

    @Test
    void aRandomTinyEncoderStillShowsTheMarkerWordToAProbe() throws IOException {
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        TaskData data = TaskData.builder()
                .train(TinyWorld.split(tmp.resolve("train.jsonl"), 300, 1))
                .dev(TinyWorld.split(tmp.resolve("dev.jsonl"), 80, 2))
                .test(TinyWorld.split(tmp.resolve("test.jsonl"), 120, 3))
                .template("classify: {text}").verbalizer(dev.prompttune.core.data.Verbalizer.of(Map.of("a", "good", "b", "never")))
                .labelField("label").build();
        try (NDManager m = NDManager.newBaseManager(); T5Model t5 = T5Model.load(model, m);
             T5Tokenizer tokenizer = T5Tokenizers.load(model)) {
            LinearProbe.Result result = LinearProbe.probe("tiny", "markers", t5, tokenizer, data, 32, m);
            assertEquals(300, result.trainExamples());
            assertEquals(120, result.testExamples());
            long aInTrain = Files.readAllLines(tmp.resolve("train.jsonl")).stream().filter(l -> l.contains("\"a\"")).count();
            long aInTest = Files.readAllLines(tmp.resolve("test.jsonl")).stream().filter(l -> l.contains("\"a\"")).count();
            double expectedMajority = (aInTrain >= 150 ? aInTest : 120 - aInTest) / 120.0;
            assertEquals(expectedMajority, result.majority(), 1e-12);
            assertTrue(Arrays.stream(LinearProbe.PENALTIES).anyMatch(p -> p == result.l2()));
            // One marker word ("city" or "weather") decides the class; even random weights carry token identity into
            // the mean of the encoder's outputs, so a linear probe reads it (if features and labels were misaligned it
            // would sit near 0.5).
            assertTrue(result.test() > 0.9, result.json());
            assertTrue(result.json().startsWith("{\"model\":\"tiny\",\"task\":\"markers\""), result.json());
        }
    }
}
