package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.TrainingSettings;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.optim.AdamW;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A one-minute check of the encoder → decoder channel on synthetic tasks: trains every weight of a model (a
 * checkpoint, or a small random T5 with an untied or a tied head) and prints the held-out loss with each example's
 * own encoder input and with another example's (as {@link EncoderReadingProbe} does on real text).
 *
 * <p>Tasks (ids are raw vocabulary ids; eos 1 ends every input and target):
 * <ul>
 *   <li>{@code detect}: 20 random ids in [300, 1300); half of the inputs contain id 50 somewhere; the target is id 100
 *       when it does, else id 200. Fixed answers: the decoder only has to read one fact from the encoder.</li>
 *   <li>{@code copy}: the input is one id in [10, 1010), the target the same id. Every answer is a different word:
 *       an untied head must learn each word's input-to-output map on its own.</li>
 * </ul>
 * Measured (models/README.md, Promptability): the shipped {@code t5-mini-span} learns {@code detect} within 100 steps,
 * while {@code copy} hardly moves in 200 steps on an untied random model and starts on a tied one.
 */
@Command(name = "channel-check", mixinStandardHelpOptions = true,
        description = "Trains every weight on a synthetic task (detect | copy) and prints own- vs other-input loss.")
public final class ChannelCheck implements Callable<Integer> {

    @Option(names = "--task", defaultValue = "detect", description = "detect or copy (default ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--model", description = "a checkpoint directory; without it a random T5 of --d-model")
    Path model;

    @Option(names = "--d-model", defaultValue = "64", description = "random model width (4 heads, d_ff 2 × width)")
    int dModel;

    @Option(names = "--layers", defaultValue = "2", description = "random model: encoder and decoder layers each")
    int layers;

    @Option(names = "--tied", description = "random model: LM head tied to the input embedding (T5 1.0 style)")
    boolean tied;

    @Option(names = "--steps", defaultValue = "200", description = "training steps of batch 32, at least 2 (warm-up, then decay)")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW peak learning rate (10 %% warm-up, linear decay)")
    float lr;

    @Option(names = "--seed", defaultValue = "1", description = "weights and data")
    long seed;

    static final int HELD_OUT = 256;

    static final List<String> TASKS = List.of("detect", "copy");

    private PromptTuneException unknownTask() {
        return new PromptTuneException("channel-check: task '" + task + "' is not known; allowed: " + String.join(", ", TASKS));
    }

    @Override
    public Integer call() {
        // Before anything is built or evaluated.
        if (!TASKS.contains(task)) {
            throw unknownTask();
        }
        if (steps < 2) { // the schedule needs a warm-up step and one after it
            throw new PromptTuneException("--steps is " + steps + "; allowed: at least 2 (a warm-up step, then decay)");
        }
        if (!Float.isFinite(lr) || lr <= 0) {
            throw new PromptTuneException("--lr is " + lr + "; allowed: a finite number > 0");
        }
        try (NDManager root = NDManager.newBaseManager(); T5Model m = model != null ? T5Model.load(model, root) : random(root)) {
            m.setDropoutRate(0f);
            Example[] train = examples(steps * 32, new SplittableRandom(seed));
            Example[] held = examples(HELD_OUT, new SplittableRandom(seed + 1));
            TokenizedTask own = task("own", held, 0);
            TokenizedTask other = task("other", held, 1);
            report("before", m, own, other, root);
            m.setTrainable(true);
            TrainingSettings settings = new TrainingSettings(steps, 32, 1, 0, 0, seed, 0f, 64, 0f);
            LearningRateSchedule schedule = LearningRateSchedule.warmupLinearDecay(Math.max(1, steps / 10), steps);
            TrainingListener log = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() % 25 == 0) {
                        System.out.printf(Locale.ROOT, "step %d loss %.4f%n", e.step(), e.loss());
                    }
                }
            };
            try (Optimizer optimizer = AdamW.defaults(lr).withSchedule(schedule).build(root)) {
                new Trainer(m, Trainable.model(m), optimizer, settings, "accuracy", List.of(log))
                        .run("channel-check", task("train", train, 0), own, root);
            }
            m.setTrainable(false);
            report("after", m, own, other, root);
        }
        return 0;
    }

    private static void report(String when, T5Model m, TokenizedTask own, TokenizedTask other, NDManager root) {
        System.out.printf(Locale.ROOT, "%s: held-out loss %.4f with each example's own input, %.4f with another's%n",
                when, HeldOutLoss.of(m, own, 32, root), HeldOutLoss.of(m, other, 32, root));
    }

    /** The examples with each target paired to the input {@code shift} places on (0: its own). */
    private static TokenizedTask task(String name, Example[] examples, int shift) {
        long[][] in = new long[examples.length][];
        long[][] out = new long[examples.length][];
        for (int i = 0; i < examples.length; i++) {
            in[i] = examples[(i + shift) % examples.length].input();
            out[i] = examples[i].target();
        }
        return new TokenizedTask(name, in, out, null, null);
    }

    private Example[] examples(int n, SplittableRandom r) {
        Example[] out = new Example[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (task) {
                case "detect" -> detect(r);
                case "copy" -> copy(r);
                default -> throw unknownTask();
            };
        }
        return out;
    }

    private static Example detect(SplittableRandom r) {
        long[] x = new long[21];
        boolean yes = r.nextBoolean();
        for (int k = 0; k < 20; k++) {
            x[k] = 300 + r.nextInt(1000);
        }
        if (yes) {
            x[r.nextInt(20)] = 50;
        }
        x[20] = 1;
        return new Example(x, new long[] {yes ? 100 : 200, 1});
    }

    private static Example copy(SplittableRandom r) {
        long t = 10 + r.nextInt(1000);
        return new Example(new long[] {t, 1}, new long[] {t, 1});
    }

    /** A random T5 of this shape, built as the pretraining builds its models (PretrainOptions.config), vocabulary 8,000. */
    private T5Model random(NDManager root) {
        PretrainOptions shape = PretrainOptions.parse(new String[] {"--d-model", "" + dModel, "--d-kv", "" + dModel / 4,
                "--d-ff", "" + 2 * dModel, "--encoder-layers", "" + layers, "--decoder-layers", "" + layers,
                "--saved-dropout", "0"});
        T5Model m = T5Model.random(shape.config(8000, tied), root, seed);
        Pretrainer.rescaleHead(m); // as the built-in models start (no-op for a tied head)
        return m;
    }
}
