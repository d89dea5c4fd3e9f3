package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.Casts;
import dev.prompttune.core.model.Scalars;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.model.T5Weights;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.core.run.Interrupts;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.TrainingResult;
import dev.prompttune.core.train.TrainingSettings;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import dev.prompttune.tools.ToolArgs;
import dev.prompttune.tools.pretrain.embed.PpmiEmbeddings;
import dev.prompttune.tools.pretrain.mix.Passage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains a small T5 1.1-style model from scratch the way the LM-adapted T5 checkpoints were made, at toy scale:
 * phase 1 {@link SpanCorruption span corruption} (T5's objective), phase 2 LM adaptation ({@link PrefixLm prefix
 * LM}) continued from the phase-1 checkpoint. Every weight is trained through the project's {@link Trainer}
 * ({@link Trainable#model}); each phase writes a Hugging Face checkpoint directory (config.json,
 * model.safetensors, tokenizer files, generation_config.json, README.md model card, pretrain-log.jsonl).
 *
 * <p>Data: the corpus is tokenized once (no eos), concatenated and cut into chunks ({@link PretrainCorpus}); the
 * last {@code devExamples} chunks are held out for a validation loss. A phase of S steps of batch B draws exactly
 * S·B training examples "on the fly" from a seeded stream: chunks are visited in a shuffled order (reshuffled
 * every pass over the corpus), and each visit corrupts / splits the chunk afresh, so a second pass sees new noise
 * masks and split points. The trainer batches them (each example is used once).
 *
 * <p>Command line ({@code models/build-t5-mini.sh} runs it with the defaults, which are the recipe of the shipped
 * {@code models/t5-mini}):
 * <pre>
 *   java -cp ... dev.prompttune.tools.pretrain.Pretrainer --seed 1 [--out models] [--phases span,lm,mix]
 *        [--span-steps N] [--lm-steps N] [--batch 32] [--d-model 192] ... (see {@link PretrainOptions})
 * </pre>
 */
public final class Pretrainer {

    private final PretrainOptions options;
    private final T5Tokenizer tokenizer;
    private final NDManager root;
    private PretrainCorpus corpus;
    private dev.prompttune.tools.pretrain.mix.PromptabilityMixture mixture;
    private final List<List<RebuildCheck.Row>> checks = new ArrayList<>();
    private final List<String> numericsDifferences = new ArrayList<>();
    /** Listeners added to every phase's trainer (tests stop a phase with one). */
    final List<TrainingListener> extraListeners = new ArrayList<>();

    public Pretrainer(PretrainOptions options, T5Tokenizer tokenizer, NDManager root) {
        this.options = options;
        this.tokenizer = tokenizer;
        this.root = root;
    }

    public static void main(String[] args) {
        dev.prompttune.core.run.ProcessExit.onSignals(); // Ctrl-C or SIGTERM mid-step: no exit through libtorch's destructors
        try (Interrupts interrupts = Interrupts.install(Thread.currentThread(), System.err, "pretrain",
                "stopping at the next step and writing the phase's checkpoint",
                "the checkpoint of the last held-out evaluation stays")) {
            int status;
            try {
                status = build(args);
            } catch (Interrupted e) {
                System.err.println("pretrain: " + e.getMessage());
                status = interrupts.received() ? interrupts.exitCode() : 130;
            }
            dev.prompttune.core.run.ProcessExit.now(status);
        } catch (PromptTuneException e) {
            System.err.println("pretrain: " + e.getMessage());
            dev.prompttune.core.run.ProcessExit.now(2);
        }
    }

    /** Runs a build (or a {@code --check}); returns the exit status: 0, or 1 for a failed check. */
    static int build(String[] args) {
        PretrainOptions o = PretrainOptions.parse(args);
        long start = System.nanoTime();
        int status = 0;
        try (NDManager root = NDManager.newBaseManager();
             T5Tokenizer tokenizer = T5Tokenizers.load(o.tokenizer())) {
            Pretrainer pretrainer = new Pretrainer(o, tokenizer, root);
            pretrainer.run();
            if (o.check() > 0) {
                List<RebuildCheck.Row> all = new ArrayList<>();
                pretrainer.checks().forEach(all::addAll);
                double worst = RebuildCheck.worst(all);
                boolean ok = !all.isEmpty() && worst <= o.checkTolerance();
                System.out.printf(Locale.ROOT, "check %s: %d values compared, largest relative difference %.3f%% (tolerance %.3f%%)%n",
                        ok ? "passed" : "FAILED", all.size(), 100 * worst, 100 * o.checkTolerance());
                if (!ok) {
                    pretrainer.numericsDifferences().forEach(d -> System.out.println("  differs from the logged build: " + d));
                }
                status = ok ? 0 : 1;
            }
        }
        System.out.printf(Locale.ROOT, "pretraining done in %.1f min%n", (System.nanoTime() - start) / 60e9);
        return status;
    }

    /** Runs the phases the options name; returns their results. */
    public List<PhaseResult> run() {
        List<PhaseResult> results = new ArrayList<>();
        List<String> phases = List.of(options.phases().split(","));
        // Everything that would stop a build part-way is refused here, before the corpus is tokenized and long before
        // the first checkpoint write: the output folder, the model's shape, the examples' memory.
        if (options.check() == 0) { // a --check writes nothing
            ToolArgs.requireWritableFolder("--out", options.out());
        }
        options.requireWeightsFit(tokenizer.vocabSize());
        requireExamplesFit(phases);
        if (phases.contains("span") || phases.contains("lm")) {
            long t0 = System.nanoTime();
            corpus = PretrainCorpus.read(options.corpus(), tokenizer);
            double tokenizeSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "corpus: %,d paragraphs, %,d tokens (%.1f s)%n", corpus.paragraphs(), corpus.size(),
                    tokenizeSeconds);
            // Both phases' chunk sizes before the span phase trains: the LM phase failing after it would lose nothing
            // saved, but the user's time.
            if (phases.contains("span")) {
                requireChunks("--span-chunk", options.spanChunk());
            }
            if (phases.contains("lm")) {
                requireChunks("--lm-chunk", options.lmChunk());
            }
        }
        PhaseResult span = null;
        if (phases.contains("span")) {
            try (T5Model model = randomModel()) {
                span = phase(Objective.SPAN_CORRUPTION, model, options.spanName());
                results.add(span);
            }
        }
        if (phases.contains("lm")) {
            Path from = options.out().resolve(options.spanName());
            try (T5Model model = T5Model.load(from, root)) {
                PhaseResult lm = phase(Objective.PREFIX_LM, model, options.lmName());
                results.add(lm);
            }
        }
        if (phases.contains("mix")) {
            try (T5Model start = options.mixFromRandom() ? mixtureStart() : T5Model.load(options.out().resolve(options.spanName()), root);
                 T5Model model = options.mixTied() ? tiedCopy(start) : null) {
                results.add(phase(Objective.MIXTURE, model != null ? model : start, options.mixName()));
            }
        }
        return results;
    }

    /** Chunks a corpus phase needs: one in ten is held out (at most --dev-examples), so ten give one held-out example. */
    static final int MIN_CHUNKS = 10;

    /**
     * Refuses a corpus too small for a phase of {@code chunk}-token chunks: with no chunk the example draw divided by
     * zero, and with under {@link #MIN_CHUNKS} nothing was held out, so the held-out loss read 0 at every evaluation.
     */
    private void requireChunks(String option, int chunk) {
        int chunks = corpus.chunkCount(chunk);
        if (chunks >= MIN_CHUNKS) {
            return;
        }
        long needed = (long) MIN_CHUNKS * chunk;
        String allowed = "; allowed: a corpus of at least " + needed + " tokens (" + MIN_CHUNKS + " chunks of " + option + " "
                + chunk + "; one in ten is held out for the validation loss), UTF-8 text, one paragraph a line";
        throw new PromptTuneException("corpus " + options.corpus() + (corpus.size() == 0 ? " has no words"
                : " has " + corpus.size() + " tokens, " + chunks + " chunk(s) of " + option + " " + chunk) + allowed);
    }

    /**
     * Refuses phases whose examples (drawn up front, {@code steps × batch} of them) cannot fit in this JVM's heap even
     * at their smallest (the chunk's tokens, 8 bytes each): they ran out of memory with a stack trace, after the corpus
     * was tokenized and earlier phases trained.
     */
    private void requireExamplesFit(List<String> phases) {
        long heap = Runtime.getRuntime().maxMemory();
        for (String phase : phases) {
            int steps = switch (phase) {
                case "span" -> options.spanSteps();
                case "lm" -> options.lmSteps();
                default -> options.mixSteps();
            };
            int tokens = switch (phase) { // the fewest ids an example can hold, input and target together
                case "span" -> options.spanChunk();
                case "lm" -> options.lmChunk() / 2 + 2;
                default -> 2;
            };
            String chunk = switch (phase) {
                case "span" -> " of --span-chunk " + options.spanChunk() + " tokens";
                case "lm" -> " of --lm-chunk " + options.lmChunk() + " tokens";
                default -> "";
            };
            long examples = (long) steps * options.batch();
            double bytes = examples * (tokens * 8.0 + 2 * 16); // two long[] with their headers
            if (bytes > heap) {
                throw new PromptTuneException(String.format(Locale.ROOT, "--%s-steps %d × --batch %d = %,d examples%s need "
                        + "at least %.1f GiB for their token ids, more than this JVM's %.1f GiB; allowed: fewer steps, a "
                        + "smaller batch%s (or a larger -Xmx in PROMPTTUNE_JAVA_OPTS)", phase, steps, options.batch(),
                        examples, chunk, bytes / (1L << 30), heap / (double) (1L << 30), chunk.isEmpty() ? "" : " or shorter chunks"));
            }
        }
    }

    /** The model a build starts from when it starts from scratch: T5's initialisation, the head as {@link #rescaleHead}. */
    private T5Model randomModel() {
        T5Model model = T5Model.random(options.config(tokenizer.vocabSize()), root, options.seed());
        rescaleHead(model);
        return model;
    }

    /**
     * The mixture phase's model from random weights: {@link #randomModel}, with the input embedding of
     * {@code --init-embeddings ppmi} ({@link PpmiEmbeddings} of the mixture's training passages) where asked. Tokens
     * that never occur in those passages (sentinels, pad, eos, unk, a few rare pieces) keep their random rows.
     */
    T5Model mixtureStart() {
        T5Model model = randomModel();
        if (options.initEmbeddings().equals("ppmi")) {
            mixture = mixture != null ? mixture : MixtureBuild.of(options, tokenizer);
            long t0 = System.nanoTime();
            List<long[]> texts = new ArrayList<>();
            for (Passage p : mixture.trainingPassages()) {
                texts.add(tokenizer.encode(p.text(), false));
            }
            int vocab = model.config().vocabSize;
            int dims = model.config().dModel;
            PpmiEmbeddings e = PpmiEmbeddings.of(texts, vocab, options.ppmiWindow(), dims, options.seed());
            NDArray shared = model.weights().all().get("shared.weight").parameter().getArray();
            float[] rows = shared.toFloatArray();
            int seen = 0;
            for (int id = 0; id < vocab; id++) {
                if (e.seen()[id]) {
                    System.arraycopy(e.vectors()[id], 0, rows, id * dims, dims);
                    seen++;
                }
            }
            NDArray init = root.create(rows, shared.getShape());
            Casts.assign(shared, init);
            init.close();
            System.out.printf(Locale.ROOT, "input embedding: PPMI-SVD of %,d training passages (window %d), %,d of %,d token ids "
                    + "seen (the rest keep T5's random rows) (%.1f s)%n", texts.size(), options.ppmiWindow(), seen, vocab,
                    (System.nanoTime() - t0) / 1e9);
        }
        return model;
    }

    /**
     * Hugging Face initialises an untied LM head N(0, 1); Mesh TensorFlow, which trained T5 1.1, builds it as a
     * dense layer with its default variance-scaling initialiser, N(0, 1/d_model). With N(0, 1) the first logits
     * have a standard deviation of √d_model and the first hundred steps go into shrinking them.
     */
    static void rescaleHead(T5Model model) {
        T5Weights.Declared head = model.weights().all().get("lm_head.weight");
        if (head != null) {
            NDArray w = head.parameter().getArray();
            NDArray scaled = Scalars.mul(w, (float) Math.pow(model.config().dModel, -0.5));
            Casts.assign(w, scaled);
            scaled.close();
        }
    }

    /**
     * {@code untied} with its LM head tied to the input embedding (T5 1.0 style: logits are the decoder's output,
     * scaled by d_model^-½, against {@code shared.weight}); every other weight is copied, the untied head dropped.
     */
    T5Model tiedCopy(T5Model untied) {
        T5Config config = options.config(untied.config().vocabSize, true);
        T5Model tied = T5Model.random(config, root, options.seed());
        for (T5Weights.Declared d : tied.weights().all().values()) {
            T5Weights.Declared from = untied.weights().all().get(d.name());
            if (from == null || !from.shape().equals(d.shape())) {
                tied.close();
                throw new PromptTuneException("cannot tie the head of " + untied.source() + ": it has no weight "
                        + d.name() + " of shape " + d.shape());
            }
            Casts.assign(d.parameter().getArray(), from.parameter().getArray());
        }
        return tied;
    }

    /** The seed of a phase's data draws (examples, noise, order); {@link MixtureExport} draws the same mixture with it. */
    static long phaseSeed(PretrainOptions options, Objective objective) {
        return options.seed() * 1_000_003L + objective.ordinal();
    }

    /** The seed of the held-out examples' draw, from the phase's seed. */
    static long heldOutSeed(long phaseSeed) {
        return phaseSeed ^ 0x5DEECE66DL;
    }

    private PhaseResult phase(Objective objective, T5Model model, String name) {
        int chunk = switch (objective) {
            case SPAN_CORRUPTION -> options.spanChunk();
            case PREFIX_LM -> options.lmChunk();
            case MIXTURE -> options.mixInput();
        };
        int steps = switch (objective) {
            case SPAN_CORRUPTION -> options.spanSteps();
            case PREFIX_LM -> options.lmSteps();
            case MIXTURE -> options.mixSteps();
        };
        float lr = switch (objective) {
            case SPAN_CORRUPTION -> options.spanLr();
            case PREFIX_LM -> options.lmLr();
            case MIXTURE -> options.mixLr();
        };
        long seed = phaseSeed(options, objective);
        Path logFile = options.out().resolve(name).resolve("pretrain-log.jsonl");
        JsonObject logged = null;
        if (options.check() > 0) {
            logged = RebuildCheck.loggedPhase(logFile, objective.key);
            RebuildCheck.requireSameRecipe(logged, objective.key, options.asMap(), logFile);
        }
        SpanCorruption spans = SpanCorruption.t5(tokenizer);
        PrefixLm prefixLm = PrefixLm.of(tokenizer, options.lmTarget());
        java.util.function.BiFunction<long[], SplittableRandom, Example> make = objective == Objective.SPAN_CORRUPTION
                ? spans::corrupt : prefixLm::split;

        int n = Math.multiplyExact(steps, options.batch());
        TokenizedTask train;
        TokenizedTask held;
        int dev;
        int trainChunks;
        int inLen;
        int outLen;
        if (objective == Objective.MIXTURE) {
            mixture = mixture != null ? mixture : MixtureBuild.of(options, tokenizer);
            SplittableRandom random = new SplittableRandom(seed);
            train = MixtureBuild.task("mix-train", mixture.sample(n, false, random));
            dev = options.devExamples();
            held = MixtureBuild.task("mix-dev", mixture.sample(dev, true, new SplittableRandom(heldOutSeed(seed))));
            trainChunks = mixture.trainPassages();
            inLen = MixtureBuild.meanLength(train.inputs());
            outLen = MixtureBuild.meanLength(train.targets());
        } else {
        int chunks = corpus.chunkCount(chunk);
        dev = Math.min(options.devExamples(), chunks / 10);
        trainChunks = chunks - dev;
        long[][] inputs = new long[n][];
        long[][] targets = new long[n][];
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[trainChunks];
        for (int i = 0; i < n; i++) {
            int pos = i % trainChunks;
            if (pos == 0) {
                for (int c = 0; c < trainChunks; c++) {
                    order[c] = c;
                }
                shuffle(order, random);
            }
            Example ex = make.apply(corpus.chunk(order[pos], chunk), random);
            inputs[i] = ex.input();
            targets[i] = ex.target();
        }
        long[][] devIn = new long[dev][];
        long[][] devOut = new long[dev][];
        SplittableRandom devRandom = new SplittableRandom(heldOutSeed(seed));
        for (int i = 0; i < dev; i++) {
            Example ex = make.apply(corpus.chunk(trainChunks + i, chunk), devRandom);
            devIn[i] = ex.input();
            devOut[i] = ex.target();
        }
        train = new TokenizedTask(objective.key + "-train", inputs, targets, null, null);
        held = new TokenizedTask(objective.key + "-dev", devIn, devOut, null, null);
        inLen = objective == Objective.SPAN_CORRUPTION ? spans.inputLength(chunk) : chunk / 2 + 1;
        outLen = objective == Objective.SPAN_CORRUPTION ? spans.targetLength(chunk)
                : options.lmTarget() > 0 ? Math.min(options.lmTarget(), chunk / 2) + 1 : chunk / 2 + 1;
        }
        model.setTrainable(true);
        int warmup = objective == Objective.SPAN_CORRUPTION ? options.warmup() : Math.min(options.warmup(), Math.max(1, steps / 8));
        warmup = Math.min(warmup, steps - 1);
        LearningRateSchedule schedule = LearningRateSchedule.warmupLinearDecay(warmup, steps);
        System.out.printf(Locale.ROOT, "phase %s: %d steps x batch %d = %,d examples from %,d chunks (passages) of %d tokens "
                        + "(%.2f passes), %d held out; input ~%d, target ~%d tokens; %,d parameters; %s lr %.2g, warm-up %d%n",
                objective.key, steps, options.batch(), n, trainChunks, chunk, (double) n / trainChunks, dev, inLen, outLen,
                model.parameterCount(), options.optimizer(), lr, warmup);
        Path dir = options.out().resolve(name);
        PretrainLog log = new PretrainLog(objective.key, options.logEvery());
        TrainingSettings settings = new TrainingSettings(steps, options.batch(), 1, options.evalEvery(), 0, seed,
                options.trainDropout(), 64, options.maxGradNorm());
        Trainable trainable = Trainable.model(model);
        // No checkpoint for a --check: it replays from step 0 and writes nothing.
        PhaseCheckpoint checkpoint = options.check() > 0 ? null
                : PhaseCheckpoint.of(options.out(), name, recipe(objective, name, steps, lr, warmup), model, trainable, train, held);
        TrainerState resumed = checkpoint == null ? null : checkpoint.load(options.resume());
        if (resumed != null) {
            log.restore(checkpoint.notes(), resumed);
        }
        long start = System.nanoTime();
        TrainingResult result;
        try (Optimizer optimizer = optimizer(lr, schedule)) {
            List<TrainingListener> listeners = new ArrayList<>(List.of(log));
            listeners.addAll(extraListeners);
            if (options.check() > 0) {
                listeners.add(stopAfter(options.check()));
            }
            Trainer trainer = new Trainer(model, trainable, optimizer, settings, "accuracy", listeners)
                    .withDevEvaluator(input -> -HeldOutLoss.of(model, held, 32, root));
            if (checkpoint != null) {
                trainer.withCheckpoints(state -> checkpoint.save(state, log));
            }
            if (resumed != null) {
                trainer.resumingFrom(resumed);
            }
            result = trainer.run(name, train, held, root);
        }
        // A resumed phase's time counts every sitting (the log keeps the earlier ones' seconds).
        double seconds = resumed == null ? (System.nanoTime() - start) / 1e9 : log.elapsedSeconds();
        model.setTrainable(false);
        if (result.reason() == StopReason.INTERRUPTED && checkpoint != null) {
            throw new Interrupted(objective.key, result.steps(), steps, checkpoint.dir());
        }
        if (result.failure() != null) {
            throw new PromptTuneException("phase " + objective.key + " failed: " + result.failure());
        }
        if (logged != null) {
            List<RebuildCheck.Row> rows = RebuildCheck.compare(logged, log.windows, log.vals, result.steps());
            System.out.printf(Locale.ROOT, "check: the first %d steps of %s against %s%n%s", result.steps(), name, logFile,
                    RebuildCheck.table(objective.key, rows));
            checks.add(rows);
            BuildNumerics.differencesFrom(logged).forEach(d -> numericsDifferences.add(objective.key + ": " + d));
        }
        EncoderReadingProbe.Result probe = null;
        if (objective == Objective.MIXTURE && logged == null) {
            probe = EncoderReadingProbe.probe(name, model, held, root);
            System.out.println("encoder-reading probe on the held-out mixture examples: " + probe.json());
        }
        List<String[]> samples = logged != null ? List.of() : samples(model, objective);
        List<Double> losses = result.losses();
        PhaseResult pr = new PhaseResult(objective, name, result.steps(), lr, warmup, seconds, seconds / Math.max(1, result.steps()),
                losses.get(0), tail(losses, options.logEvery()), log.windows, log.vals, n, dev, inLen, outLen,
                model.parameterCount(), samples);
        for (String[] s : samples) {
            System.out.println("  " + s[0] + "  ->  " + s[1]);
        }
        if (options.save() && logged == null) {
            new ModelCard(options, mixture, probe).save(model, dir, pr, log.lines);
        }
        if (checkpoint != null) {
            checkpoint.remove();
        }
        return pr;
    }

    /** What determines a phase's run, for its checkpoint's identity: a checkpoint resumes only the same recipe. */
    private Map<String, Object> recipe(Objective objective, String name, int steps, float lr, int warmup) {
        Map<String, Object> recipe = new LinkedHashMap<>(options.asMap());
        recipe.put("phase", objective.key);
        recipe.put("name", name);
        recipe.put("steps", steps);
        recipe.put("lr", lr);
        recipe.put("warmup", warmup);
        recipe.put("log_every", options.logEvery());
        recipe.put("eval_every", options.evalEvery());
        return recipe;
    }

    /** A phase stopped by Ctrl-C or SIGTERM at a step boundary; its checkpoint is written. */
    static final class Interrupted extends PromptTuneException {
        Interrupted(String phase, int step, int steps, Path dir) {
            super("phase " + phase + " stopped at step " + step + " of " + steps + "; its checkpoint is in " + dir
                    + ": run the same command with --resume true to continue");
        }
    }

    /** Stops the trainer at the end of step {@code steps} (an interrupt ends a run at the next step boundary). */
    private static TrainingListener stopAfter(int steps) {
        return new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() == steps && e.step() < e.totalSteps()) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** With {@code --check}: how this run's numerics differ from each checked phase's logged ones (cpu included). */
    List<String> numericsDifferences() {
        return numericsDifferences;
    }

    /** With {@code --check}: the compared rows of each phase run, in order. */
    List<List<RebuildCheck.Row>> checks() {
        return checks;
    }

    private Optimizer optimizer(float lr, LearningRateSchedule schedule) {
        return PretrainOptimizer.of(options.optimizer()).build(lr, schedule, root);
    }

    /** Greedy outputs for a few fixed inputs: sentinel filling after span corruption, continuations after LM adaptation. */
    private List<String[]> samples(T5Model model, Objective objective) {
        List<String> prompts = objective == Objective.MIXTURE
                ? List.of("sale paper Dear friend, you have been selected to receive a free offer. Reply now to claim it.",
                        "sale paper The committee met on Tuesday to discuss the budget for the coming year.",
                        "yellow house church The cat sat on the mat and looked at the yellow house.")
                : objective == Objective.SPAN_CORRUPTION
                ? List.of("The man went to the <extra_id_0> to buy some <extra_id_1> for his wife.",
                        "Thank you for <extra_id_0> me to your party last <extra_id_1>.",
                        "Click here to <extra_id_0> from our mailing list.")
                : List.of("The weather today is", "Subject: Make money fast", "He opened the door and");
        List<String[]> out = new ArrayList<>();
        for (String p : prompts) {
            try (NDManager m = root.newSubManager()) {
                long[] ids = tokenizer.encode(p);
                NDArray in = m.create(ids, new Shape(1, ids.length));
                NDArray mask = m.ones(new Shape(1, ids.length), DataType.INT64);
                long[][] gen = model.generate(in, mask, 24, true);
                out.add(new String[] {p, tokenizer.decode(java.util.Arrays.copyOfRange(gen[0], 1, gen[0].length), false)
                        .replace("<pad>", "").trim()});
            }
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double tail(List<Double> losses, int window) {
        int from = Math.max(0, losses.size() - window);
        double sum = 0;
        for (int i = from; i < losses.size(); i++) {
            sum += losses.get(i);
        }
        return sum / Math.max(1, losses.size() - from);
    }
}
