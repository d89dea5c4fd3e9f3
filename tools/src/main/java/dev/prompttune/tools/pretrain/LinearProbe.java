package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.GradMode;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.run.TaskArrays;
import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How much of a task does a frozen checkpoint's encoder carry? A linear classifier (softmax regression, L2 chosen on
 * dev) on the mean of the encoder's output vectors over each input's tokens, trained on the task's training split and
 * scored on test, beside the majority class. It needs no prompt and no decoder: it asks whether the classes are
 * linearly visible in what the frozen encoder computes from the task's input (template, truncation as in a run).
 *
 * <p>It is not a bound on prompt tuning — a prompt also changes what the encoder computes, and the decoder is not a
 * linear readout — but a task the probe cannot separate from the majority class is one where a frozen model of this
 * size has little to offer a prompt (measured: models/README.md, t5-mini-choice).
 *
 * <pre>
 *   models/linear-probe.sh --task brown-genre --max-input 64 models/t5-mini-ppmi [models/t5-mini-topics ...]
 *   {"model":"t5-mini-ppmi","task":"brown-genre","train":1852,"test":400,"majority":0.2000,"l2":0.01,"dev":...,"test_accuracy":...}
 * </pre>
 */
public final class LinearProbe {

    /** The L2 penalties tried; the one with the best dev accuracy is kept (the first on a tie). */
    static final double[] PENALTIES = {1e-3, 1e-2, 1e-1, 1.0};
    static final int ITERATIONS = 300;
    static final double LEARNING_RATE = 0.5;
    /** Target truncation for tokenizing (the spec's default); the probe reads inputs only. */
    private static final int TARGET_LENGTH = 64;

    /** What the probe measured on one checkpoint and task. */
    public record Result(String model, String task, int trainExamples, int testExamples, double majority, double l2,
                         double dev, double test, double seconds) {
        public String json() {
            return String.format(Locale.ROOT, "{\"model\":\"%s\",\"task\":\"%s\",\"train\":%d,\"test\":%d,"
                    + "\"majority\":%.4f,\"l2\":%s,\"dev\":%.4f,\"test_accuracy\":%.4f,\"seconds\":%.1f}", model, task,
                    trainExamples, testExamples, majority, l2, dev, test, seconds);
        }
    }

    /** Features and classes of one split. */
    record Features(double[][] x, int[] y) {}

    private LinearProbe() {}

    public static void main(String[] args) {
        try {
            String task = null;
            int maxInput = 64;
            List<Path> models = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--task" -> task = value(args, ++i, "--task");
                    case "--max-input" -> maxInput = maxInput(value(args, ++i, "--max-input"));
                    default -> models.add(Path.of(args[i]));
                }
            }
            if (task == null || models.isEmpty()) {
                throw new PromptTuneException("usage: LinearProbe --task TASK [--max-input N] MODEL_DIR...");
            }
            TaskData data = TaskSetup.resolve(PromptTuneSpec.builder().data(task).maxInputLength(maxInput).build()).data();
            models.forEach(T5Config::load); // each one a checkpoint folder (one-line error), before the first is probed
            try (NDManager root = NDManager.newBaseManager()) {
                for (Path dir : models) {
                    try (NDManager m = root.newSubManager(); T5Model model = T5Model.load(dir, m);
                         T5Tokenizer tokenizer = T5Tokenizers.load(dir)) {
                        System.out.println(probe(dir.getFileName().toString(), task, model, tokenizer, data, maxInput, m).json());
                    }
                }
            }
        } catch (PromptTuneException e) {
            System.err.println("linear probe: " + e.getMessage());
            System.exit(2);
        }
    }

    private static int maxInput(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 2) {
                return n;
            }
        } catch (NumberFormatException notAnInt) {
            // the message below
        }
        throw new PromptTuneException("--max-input is '" + text + "'; allowed: a whole number of tokens, at least 2");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new PromptTuneException(option + " needs a value");
        }
        return args[i];
    }

    /** Fits the probe on train, chooses its penalty on dev, scores test. */
    public static Result probe(String name, String task, T5Model model, T5Tokenizer tokenizer, TaskData data, int maxInput,
                               NDManager manager) {
        long t0 = System.nanoTime();
        Split devSplit = data.dev().orElseThrow(() -> new PromptTuneException("task " + task + " has no dev split"));
        Split testSplit = data.test().orElseThrow(() -> new PromptTuneException("task " + task + " has no test split"));
        model.setTrainable(false);
        Features train = features(model, data.tokenize(data.train(), tokenizer, maxInput, TARGET_LENGTH), manager);
        Features dev = features(model, data.tokenize(devSplit, tokenizer, maxInput, TARGET_LENGTH), manager);
        Features test = features(model, data.tokenize(testSplit, tokenizer, maxInput, TARGET_LENGTH), manager);
        int classes = data.verbalizer().size();
        double bestDev = -1;
        double bestPenalty = PENALTIES[0];
        SoftmaxRegression best = null;
        for (double l2 : PENALTIES) {
            SoftmaxRegression fit = SoftmaxRegression.fit(train.x(), train.y(), classes, l2, ITERATIONS, LEARNING_RATE);
            double acc = Metrics.accuracy(dev.y(), fit.predict(dev.x()));
            if (acc > bestDev) {
                bestDev = acc;
                bestPenalty = l2;
                best = fit;
            }
        }
        double testAccuracy = Metrics.accuracy(test.y(), best.predict(test.x()));
        return new Result(name, task, train.y().length, test.y().length, majority(train.y(), test.y(), classes),
                bestPenalty, bestDev, testAccuracy, (System.nanoTime() - t0) / 1e9);
    }

    /** Test accuracy of always answering the most frequent training class (the lowest class on a tie). */
    static double majority(int[] train, int[] test, int classes) {
        int[] predicted = new int[test.length];
        Arrays.fill(predicted, Metrics.mostFrequentClass(train, classes));
        return Metrics.accuracy(test, predicted);
    }

    /** The mean encoder output over each input's tokens (eos included), [examples][d_model], and the classes. */
    static Features features(T5Model model, TokenizedSplit split, NDManager parent) {
        int n = split.size();
        double[][] x = new double[n][];
        int[] y = new int[n];
        int batch = 32;
        try (GradMode.Scope noGrad = GradMode.off()) {
            for (int start = 0; start < n; start += batch) {
                int rows = Math.min(batch, n - start);
                long[][] ids = new long[rows][];
                for (int r = 0; r < rows; r++) {
                    ids[r] = TaskArrays.toLong(split.inputIds(start + r));
                    y[start + r] = split.labelIndex(start + r);
                }
                try (NDManager m = parent.newSubManager()) {
                    RankClassifier.Padded padded = RankClassifier.Padded.of(ids, 0, m);
                    NDArray mask = padded.mask().toType(DataType.FLOAT32, false);
                    NDArray hidden = model.encode(model.embed(padded.ids()), padded.mask(), false); // [B, T, H]
                    NDArray mean = hidden.mul(mask.expandDims(2)).sum(new int[] {1})
                            .div(mask.sum(new int[] {1}).expandDims(1)); // [B, H]
                    float[] flat = mean.toType(DataType.FLOAT32, false).toFloatArray();
                    int d = (int) mean.getShape().get(1);
                    for (int r = 0; r < rows; r++) {
                        double[] row = new double[d];
                        for (int j = 0; j < d; j++) {
                            row[j] = flat[r * d + j];
                        }
                        x[start + r] = row;
                    }
                }
            }
        }
        for (int label : y) {
            if (label < 0) {
                throw new PromptTuneException("split " + split.name() + " has unlabelled examples; the probe needs labels");
            }
        }
        return new Features(x, y);
    }
}
