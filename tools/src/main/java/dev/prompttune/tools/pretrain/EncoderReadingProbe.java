package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.spec.Home;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.core.train.TokenizedTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Does a checkpoint's decoder read its encoder? The held-out span-corruption loss with each example's own encoder
 * input, against the same targets with another example's input (input {@code i + 1} for target {@code i}). A
 * decoder that ignores its encoder scores both alike; the gap, in nats per target token, is how much the output
 * depends on the input. A soft prompt acts only through the encoder, so a model with a gap near zero cannot be
 * prompt-tuned (measured: models/README.md).
 *
 * <p>The examples are the pretrainer's own held-out span-corruption examples (the last 256 chunks of 128 tokens of
 * the corpus, corrupted with the span phase's held-out seed for {@code --seed 1}), so the "own input" loss of
 * {@code t5-mini-span} is its logged final held-out loss.
 *
 * <pre>
 *   models/probe.sh models/t5-mini-span [models/t5-mini ...]
 *   {"model":"t5-mini-span","examples":256,"own_input_loss":5.0898,"other_input_loss":...,"gap":...,"seconds":...}
 * </pre>
 */
public final class EncoderReadingProbe {

    /** What the probe measured on one checkpoint. */
    public record Result(String model, int examples, double ownInputLoss, double otherInputLoss, double seconds) {

        public double gap() {
            return otherInputLoss - ownInputLoss;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"model\":\"%s\",\"examples\":%d,\"own_input_loss\":%.4f,"
                    + "\"other_input_loss\":%.4f,\"gap\":%.4f,\"seconds\":%.1f}", model, examples, ownInputLoss,
                    otherInputLoss, gap(), seconds);
        }
    }

    static final String USAGE = "probe [--corpus FILE] [--tokenizer DIR] MODEL_DIR...";

    private EncoderReadingProbe() {}

    /** For models/probe.sh, which runs this class directly: a user error is one line, exit 2. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (PromptTuneException e) {
            System.err.println("probe: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Probes each model; {@code prompttune-tools probe} calls it (its own handler prints a user error). */
    public static void run(String[] args) {
        if (args.length == 0) {
            throw new PromptTuneException("usage: " + USAGE);
        }
        // Defaults under the project home, so the tool runs from any folder (bin/prompttune-tools sets it).
        Path corpusFile = Home.get().resolve("data/corpus/pretrain.txt.gz");
        Path tokenizerDir = Home.get().resolve("data/tokenizer");
        List<Path> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus", "--tokenizer" -> {
                    if (i + 1 >= args.length) {
                        throw new PromptTuneException(args[i] + " needs a value; usage: " + USAGE);
                    }
                    if (args[i].equals("--corpus")) {
                        corpusFile = PathProblems.requireFile(Path.of(args[++i]), "corpus");
                    } else {
                        tokenizerDir = Path.of(args[++i]);
                    }
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new PromptTuneException("unknown option " + args[i] + "; usage: " + USAGE);
                    }
                    models.add(Path.of(args[i]));
                }
            }
        }
        if (models.isEmpty()) {
            throw new PromptTuneException("no MODEL_DIR given; usage: " + USAGE);
        }
        models.forEach(T5Config::load); // each one a checkpoint folder (one-line error), before the first is probed
        try (NDManager root = NDManager.newBaseManager();
             T5Tokenizer tokenizer = T5Tokenizers.load(tokenizerDir)) {
            TokenizedTask held = heldOutSpanExamples(PretrainCorpus.read(corpusFile, tokenizer), tokenizer);
            if (held.size() < 2) {
                // The gap compares each example's input with another's: with none the "result" would be 0 = 0.
                throw new PromptTuneException("corpus " + corpusFile + " gives " + held.size() + " held-out example(s); "
                        + "allowed: a corpus of at least 20 chunks of " + PretrainOptions.defaults().spanChunk()
                        + " tokens (2 held-out examples)");
            }
            for (Path dir : models) {
                try (NDManager m = root.newSubManager(); T5Model model = T5Model.load(dir, m)) {
                    System.out.println(probe(dir.getFileName().toString(), model, held, m).json());
                }
            }
        }
    }

    /** The span phase's held-out examples of the shipped recipe (seed 1, 128-token chunks, last 256 chunks). */
    static TokenizedTask heldOutSpanExamples(PretrainCorpus corpus, T5Tokenizer tokenizer) {
        PretrainOptions o = PretrainOptions.defaults();
        int chunk = o.spanChunk();
        int chunks = corpus.chunkCount(chunk);
        int dev = Math.min(o.devExamples(), chunks / 10);
        SplittableRandom random = new SplittableRandom(
                Pretrainer.heldOutSeed(Pretrainer.phaseSeed(o, Objective.SPAN_CORRUPTION)));
        SpanCorruption spans = SpanCorruption.t5(tokenizer);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < dev; i++) {
            examples.add(spans.corrupt(corpus.chunk(chunks - dev + i, chunk), random));
        }
        return MixtureBuild.task("span-dev", examples);
    }

    /** Held-out loss with own inputs and with each target's input taken from the next example. */
    public static Result probe(String name, T5Model model, TokenizedTask held, NDManager manager) {
        long t0 = System.nanoTime();
        model.setTrainable(false);
        double own = HeldOutLoss.of(model, held, 32, manager);
        long[][] shifted = new long[held.size()][];
        for (int i = 0; i < held.size(); i++) {
            shifted[i] = held.inputs()[(i + 1) % held.size()];
        }
        TokenizedTask other = new TokenizedTask(held.name() + "-other-input", shifted, held.targets(), null, null);
        double others = HeldOutLoss.of(model, other, 32, manager);
        return new Result(name, held.size(), own, others, (System.nanoTime() - t0) / 1e9);
    }
}
