package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.Casts;
import dev.prompttune.core.model.Scalars;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.model.T5Weights;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.TrainingResult;
import dev.prompttune.core.train.TrainingSettings;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.AdamW;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 *        [--span-steps N] [--lm-steps N] [--batch 32] [--d-model 192] ... (see {@link Options})
 * </pre>
 */
public final class Pretrainer {

    /** The two objectives, with the names used in logs and options. */
    public enum Objective {
        SPAN_CORRUPTION("span"), PREFIX_LM("lm"), MIXTURE("mix");

        public final String key;

        Objective(String key) {
            this.key = key;
        }
    }

    /**
     * Everything that determines a build. {@link #defaults()} is the shipped recipe.
     *
     * @param seed model initialisation, data order, noise masks and split points
     * @param corpus the pretraining text ({@code data/corpus/pretrain.txt.gz})
     * @param tokenizer directory with tokenizer.json and tokenizer_config.json ({@code data/tokenizer})
     * @param out directory that receives the checkpoint directories ({@code models})
     * @param trainDropout dropout while pretraining (T5 1.1: 0, "dropout was turned off in pre-training")
     * @param savedDropout {@code dropout_rate} written to config.json (T5 1.1 ships 0.1 for fine-tuning)
     * @param optimizer {@code adamw} or {@code adafactor} (T5's: factored, parameter-scaled, clipped at RMS 1)
     * @param warmup warm-up steps of the span phase's learning-rate schedule (then linear decay to 0); the LM phase
     *               warms up over min(warmup, lmSteps / 8) steps
     * @param maxGradNorm gradient clipping by global norm before each update (0: off, as the shipped checkpoints
     *               were built). Caps the rare huge gradient that sets off a loss spike at the peak learning rate;
     *               a clipped build (1.0) was tried and not shipped (models/README.md, Rebuild)
     * @param phases a comma list of {@code span}, {@code lm}, {@code mix} (default {@code span,lm}, the shipped
     *               checkpoints); {@code lm} and {@code mix} start from {@code out/spanName}. {@code mix} is the
     *               promptability-mixture experiment ({@code PromptabilityMixture}); not shipped (models/README.md)
     * @param mixSteps steps of the mixture phase
     * @param mixInput longest mixture input in tokens (eos included)
     * @param mixLr peak learning rate of the mixture phase
     * @param mixSavedDropout {@code dropout_rate} written to the mixture checkpoint's config.json (0: tune as pretrained)
     * @param tasks the evaluation tasks ({@code data/tasks}) whose dev/test text and label words the mixture holds out
     * @param save false to train without writing checkpoints (timing and learning-rate trials)
     * @param check N > 0: run only the first N steps of each phase's full schedule, write nothing, and compare the
     *              losses with {@code out/NAME/pretrain-log.jsonl} ({@link RebuildCheck}); 0: a normal build
     * @param checkTolerance the largest relative difference {@code check} accepts (0.01 = 1 %)
     */
    public record Options(long seed, Path corpus, Path tokenizer, Path out,
                          int dModel, int dKv, int heads, int dFf, int encoderLayers, int decoderLayers,
                          float trainDropout, float savedDropout, int batch,
                          int spanSteps, int spanChunk, float spanLr,
                          int lmSteps, int lmChunk, int lmTarget, float lmLr,
                          int mixSteps, int mixInput, float mixLr, float mixSavedDropout, Path tasks, String mixName,
                          String optimizer, int warmup, float maxGradNorm, int logEvery, int evalEvery, int devExamples,
                          String dtype, String phases, String spanName, String lmName, boolean save,
                          int check, double checkTolerance) {

        /** The recipe of the shipped {@code models/t5-mini} (seed 1). */
        public static Options defaults() {
            return new Options(1, Path.of("data/corpus/pretrain.txt.gz"), Path.of("data/tokenizer"), Path.of("models"),
                    192, 32, 4, 512, 4, 4,
                    0f, 0.1f, 32,
                    4500, 128, 3e-3f,
                    3000, 128, 16, 2e-3f,
                    1500, 128, 1e-3f, 0f, Path.of("data/tasks"), "t5-mini-mix",
                    "adamw", 100, 0f, 50, 250, 256,
                    "BF16", "span,lm", "t5-mini-span", "t5-mini", true,
                    0, 0.01);
        }

        /** Parses {@code --key value} pairs over the defaults. */
        public static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new PromptTuneException("expected --key value pairs, got '" + args[i] + "'");
                }
                a.put(args[i].substring(2), args[++i]);
            }
            for (String k : a.keySet()) {
                if (!KNOWN.contains(k)) {
                    throw new PromptTuneException("unknown option --" + k + "; known: " + KNOWN);
                }
            }
            Options d = defaults();
            Options o;
            try {
                o = parseOver(d, a);
            } catch (NumberFormatException e) {
                throw new PromptTuneException("a pretraining option is not a number (" + e.getMessage() + "); options: "
                        + a);
            }
            if (o.check() < 0) {
                throw new PromptTuneException("--check must be 0 (build) or a number of steps >= 1, got " + o.check());
            }
            return o;
        }

        private static Options parseOver(Options d, Map<String, String> a) {
            return new Options(
                    Long.parseLong(a.getOrDefault("seed", "" + d.seed)),
                    Path.of(a.getOrDefault("corpus", d.corpus.toString())),
                    Path.of(a.getOrDefault("tokenizer", d.tokenizer.toString())),
                    Path.of(a.getOrDefault("out", d.out.toString())),
                    Integer.parseInt(a.getOrDefault("d-model", "" + d.dModel)),
                    Integer.parseInt(a.getOrDefault("d-kv", "" + d.dKv)),
                    Integer.parseInt(a.getOrDefault("heads", "" + d.heads)),
                    Integer.parseInt(a.getOrDefault("d-ff", "" + d.dFf)),
                    Integer.parseInt(a.getOrDefault("encoder-layers", "" + d.encoderLayers)),
                    Integer.parseInt(a.getOrDefault("decoder-layers", "" + d.decoderLayers)),
                    Float.parseFloat(a.getOrDefault("train-dropout", "" + d.trainDropout)),
                    Float.parseFloat(a.getOrDefault("saved-dropout", "" + d.savedDropout)),
                    Integer.parseInt(a.getOrDefault("batch", "" + d.batch)),
                    Integer.parseInt(a.getOrDefault("span-steps", "" + d.spanSteps)),
                    Integer.parseInt(a.getOrDefault("span-chunk", "" + d.spanChunk)),
                    Float.parseFloat(a.getOrDefault("span-lr", "" + d.spanLr)),
                    Integer.parseInt(a.getOrDefault("lm-steps", "" + d.lmSteps)),
                    Integer.parseInt(a.getOrDefault("lm-chunk", "" + d.lmChunk)),
                    Integer.parseInt(a.getOrDefault("lm-target", "" + d.lmTarget)),
                    Float.parseFloat(a.getOrDefault("lm-lr", "" + d.lmLr)),
                    Integer.parseInt(a.getOrDefault("mix-steps", "" + d.mixSteps)),
                    Integer.parseInt(a.getOrDefault("mix-input", "" + d.mixInput)),
                    Float.parseFloat(a.getOrDefault("mix-lr", "" + d.mixLr)),
                    Float.parseFloat(a.getOrDefault("mix-saved-dropout", "" + d.mixSavedDropout)),
                    Path.of(a.getOrDefault("tasks", d.tasks.toString())),
                    a.getOrDefault("mix-name", d.mixName),
                    a.getOrDefault("optimizer", d.optimizer),
                    Integer.parseInt(a.getOrDefault("warmup", "" + d.warmup)),
                    Float.parseFloat(a.getOrDefault("max-grad-norm", "" + d.maxGradNorm)),
                    Integer.parseInt(a.getOrDefault("log-every", "" + d.logEvery)),
                    Integer.parseInt(a.getOrDefault("eval-every", "" + d.evalEvery)),
                    Integer.parseInt(a.getOrDefault("dev-examples", "" + d.devExamples)),
                    a.getOrDefault("dtype", d.dtype),
                    a.getOrDefault("phases", d.phases),
                    a.getOrDefault("span-name", d.spanName),
                    a.getOrDefault("lm-name", d.lmName),
                    Boolean.parseBoolean(a.getOrDefault("save", "" + d.save)),
                    Integer.parseInt(a.getOrDefault("check", "" + d.check)),
                    Double.parseDouble(a.getOrDefault("check-tolerance", "" + d.checkTolerance)));
        }

        private static final List<String> KNOWN = List.of("seed", "corpus", "tokenizer", "out", "d-model", "d-kv", "heads",
                "d-ff", "encoder-layers", "decoder-layers", "train-dropout", "saved-dropout", "batch", "span-steps",
                "span-chunk", "span-lr", "lm-steps", "lm-chunk", "lm-target", "lm-lr", "mix-steps", "mix-input", "mix-lr",
                "mix-saved-dropout", "tasks", "mix-name", "optimizer", "warmup", "max-grad-norm", "log-every",
                "eval-every", "dev-examples", "dtype", "phases", "span-name", "lm-name", "save", "check", "check-tolerance");

        /** The T5 1.1 configuration (gated-GELU, untied head, no output scaling) of the model to build. */
        public T5Config config(int vocabSize) {
            JsonObject o = new JsonObject();
            o.addProperty("model_type", "t5");
            o.addProperty("vocab_size", vocabSize);
            o.addProperty("d_model", dModel);
            o.addProperty("d_kv", dKv);
            o.addProperty("d_ff", dFf);
            o.addProperty("num_heads", heads);
            o.addProperty("num_layers", encoderLayers);
            o.addProperty("num_decoder_layers", decoderLayers);
            o.addProperty("relative_attention_num_buckets", 32);
            o.addProperty("relative_attention_max_distance", 128);
            o.addProperty("dropout_rate", savedDropout);
            o.addProperty("layer_norm_epsilon", 1e-6);
            o.addProperty("feed_forward_proj", "gated-gelu");
            o.addProperty("tie_word_embeddings", false);
            o.addProperty("pad_token_id", 0);
            o.addProperty("eos_token_id", 1);
            o.addProperty("decoder_start_token_id", 0);
            return T5Config.parse(o.toString(), "pretraining options");
        }

        /** The options as they would be typed (non-default ones only), for the model card's rebuild command. */
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("d_model", dModel);
            m.put("d_kv", dKv);
            m.put("num_heads", heads);
            m.put("d_ff", dFf);
            m.put("encoder_layers", encoderLayers);
            m.put("decoder_layers", decoderLayers);
            m.put("train_dropout", trainDropout);
            m.put("saved_dropout_rate", savedDropout);
            m.put("batch", batch);
            m.put("span_steps", spanSteps);
            m.put("span_chunk", spanChunk);
            m.put("span_lr", spanLr);
            m.put("lm_steps", lmSteps);
            m.put("lm_chunk", lmChunk);
            m.put("lm_target", lmTarget);
            m.put("lm_lr", lmLr);
            m.put("mix_steps", mixSteps);
            m.put("mix_input", mixInput);
            m.put("mix_lr", mixLr);
            m.put("mix_saved_dropout_rate", mixSavedDropout);
            m.put("optimizer", optimizer);
            m.put("warmup", warmup);
            m.put("max_grad_norm", maxGradNorm);
            m.put("dev_examples", devExamples);
            m.put("dtype", dtype);
            return m;
        }
    }

    /** What one phase did. */
    public record PhaseResult(Objective objective, String name, int steps, float lr, int warmup, double seconds,
                              double secondsPerStep,
                              double firstLoss, double lastLoss, List<double[]> windows, List<double[]> valLosses,
                              int trainExamples, int devExamples, int inputLength, int targetLength, long parameters,
                              List<String[]> samples) {}

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final String BUILD_COMMAND = "models/build-t5-mini.sh --seed 1";

    private final Options options;
    private final T5Tokenizer tokenizer;
    private final NDManager root;
    private PretrainCorpus corpus;
    private dev.prompttune.tools.pretrain.mix.PromptabilityMixture mixture;
    private final List<List<RebuildCheck.Row>> checks = new ArrayList<>();
    private final List<String> numericsDifferences = new ArrayList<>();

    public Pretrainer(Options options, T5Tokenizer tokenizer, NDManager root) {
        this.options = options;
        this.tokenizer = tokenizer;
        this.root = root;
    }

    public static void main(String[] args) {
        try {
            System.exit(build(args));
        } catch (PromptTuneException e) {
            System.err.println("pretrain: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs a build (or a {@code --check}); returns the exit status: 0, or 1 for a failed check. */
    static int build(String[] args) {
        Options o = Options.parse(args);
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
        if (phases.contains("span") || phases.contains("lm")) {
            long t0 = System.nanoTime();
            corpus = PretrainCorpus.read(options.corpus(), tokenizer);
            double tokenizeSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "corpus: %,d paragraphs, %,d tokens (%.1f s)%n", corpus.paragraphs(), corpus.size(),
                    tokenizeSeconds);
        }
        PhaseResult span = null;
        if (phases.contains("span")) {
            T5Config config = options.config(tokenizer.vocabSize());
            try (T5Model model = T5Model.random(config, root, options.seed())) {
                rescaleHead(model);
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
            Path from = options.out().resolve(options.spanName());
            try (T5Model model = T5Model.load(from, root)) {
                results.add(phase(Objective.MIXTURE, model, options.mixName()));
            }
        }
        return results;
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
        long seed = options.seed() * 1_000_003L + objective.ordinal();
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
            held = MixtureBuild.task("mix-dev", mixture.sample(dev, true, new SplittableRandom(seed ^ 0x5DEECE66DL)));
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
        SplittableRandom devRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
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
        Log log = new Log(objective.key, options.logEvery());
        TrainingSettings settings = new TrainingSettings(steps, options.batch(), 1, options.evalEvery(), 0, seed,
                options.trainDropout(), 64, options.maxGradNorm());
        long start = System.nanoTime();
        TrainingResult result;
        try (Optimizer optimizer = optimizer(lr, schedule)) {
            List<TrainingListener> listeners = options.check() > 0 ? List.of(log, stopAfter(options.check())) : List.of(log);
            Trainer trainer = new Trainer(model, Trainable.model(model), optimizer, settings, "accuracy", listeners)
                    .withDevEvaluator(input -> -heldOutLoss(model, held, 32, root));
            result = trainer.run(name, train, held, root);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        model.setTrainable(false);
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
        List<String[]> samples = logged != null ? List.of() : samples(model, objective);
        List<Double> losses = result.losses();
        PhaseResult pr = new PhaseResult(objective, name, result.steps(), lr, warmup, seconds, seconds / Math.max(1, result.steps()),
                losses.get(0), tail(losses, options.logEvery()), log.windows, log.vals, n, dev, inLen, outLen,
                model.parameterCount(), samples);
        for (String[] s : samples) {
            System.out.println("  " + s[0] + "  ->  " + s[1]);
        }
        if (options.save() && logged == null) {
            save(model, dir, pr, log.lines);
        }
        return pr;
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

    /** The optimizer as the model card's recipe table names it, with the gradient clipping. */
    private String optimizerText() {
        return options.maxGradNorm() > 0
                ? String.format(Locale.ROOT, "%s, gradients clipped to global norm %s", options.optimizer(), options.maxGradNorm())
                : options.optimizer();
    }

    private Optimizer optimizer(float lr, LearningRateSchedule schedule) {
        switch (options.optimizer()) {
            case "adamw":
                return AdamW.defaults(lr).withSchedule(schedule).build(root);
            case "adafactor":
                // T5's Mesh TensorFlow Adafactor: factored second moment, decay 0.8, update clipping 1, lr relative to
                // the parameter's RMS, no momentum, no weight decay.
                return Adafactor.paper(lr).withScaleParameter(true).withWeightDecay(0f).withSchedule(schedule).build(root);
            default:
                throw new PromptTuneException("optimizer '" + options.optimizer() + "' is not known; allowed: adamw, adafactor");
        }
    }

    /** Token-weighted mean cross-entropy of the model on a split (no dropout, no gradient). */
    public static double heldOutLoss(T5Model model, TokenizedTask split, int batch, NDManager root) {
        double sum = 0;
        long count = 0;
        for (int s = 0; s < split.size(); s += batch) {
            int rows = Math.min(batch, split.size() - s);
            try (NDManager m = root.newSubManager()) {
                NDArray ids = padded(split.inputs(), s, rows, 0, m);
                NDArray labels = padded(split.targets(), s, rows, T5Model.IGNORE_INDEX, m);
                NDArray mask = ids.neq(0).toType(DataType.INT64, false);
                NDArray hidden = model.encode(model.embed(ids), mask, false);
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), hidden, mask, false));
                double loss = T5Model.loss(logits, labels).getFloat();
                long tokens = 0;
                for (int r = 0; r < rows; r++) {
                    tokens += split.targets()[s + r].length;
                }
                sum += loss * tokens;
                count += tokens;
            }
        }
        return sum / Math.max(1, count);
    }

    private static NDArray padded(long[][] rows, int from, int n, long pad, NDManager m) {
        int length = 1;
        for (int i = 0; i < n; i++) {
            length = Math.max(length, rows[from + i].length);
        }
        long[] flat = new long[n * length];
        java.util.Arrays.fill(flat, pad);
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[from + i], 0, flat, i * length, rows[from + i].length);
        }
        return m.create(flat, new Shape(n, length));
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

    private void save(T5Model model, Path dir, PhaseResult pr, List<String> logLines) {
        T5CheckpointWriter.save(model, dir, options.dtype());
        if (pr.objective() == Objective.MIXTURE) {
            MixtureBuild.setDropoutRate(dir.resolve("config.json"), options.mixSavedDropout());
        }
        try {
            for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(options.tokenizer().resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            JsonObject gen = new JsonObject();
            gen.addProperty("decoder_start_token_id", model.config().decoderStartTokenId);
            gen.addProperty("eos_token_id", model.config().eosTokenId);
            gen.addProperty("pad_token_id", model.config().padTokenId);
            Files.writeString(dir.resolve("generation_config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(gen) + "\n");

            // The log of this checkpoint's whole history: the span phase's lines come first in the LM checkpoint.
            List<String> history = new ArrayList<>();
            List<PhaseResult> previous = new ArrayList<>();
            if (pr.objective() != Objective.SPAN_CORRUPTION) {
                Path spanLog = options.out().resolve(options.spanName()).resolve("pretrain-log.jsonl");
                if (Files.isRegularFile(spanLog)) {
                    history.addAll(Files.readAllLines(spanLog));
                    for (String line : history) {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (o.has("summary")) {
                            previous.add(GSON.fromJson(o.get("summary"), PhaseResult.class));
                        }
                    }
                }
            }
            history.addAll(logLines);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("phase", pr.objective().key);
            summary.put("summary", pr);
            summary.put("options", options.asMap());
            summary.put("numerics", BuildNumerics.current());
            history.add(GSON.toJson(summary));
            Files.write(dir.resolve("pretrain-log.jsonl"), history);
            List<PhaseResult> all = new ArrayList<>(previous);
            all.add(pr);
            Files.writeString(dir.resolve("README.md"), card(model, dir.getFileName().toString(), all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        System.out.println("saved " + dir);
    }

    private String card(T5Model model, String name, List<PhaseResult> phases) throws IOException {
        T5Config c = model.config();
        long bytes = Files.size(options.out().resolve(name).resolve("model.safetensors"));
        StringBuilder s = new StringBuilder();
        s.append("# ").append(name).append("\n\n");
        Objective last = phases.get(phases.size() - 1).objective();
        boolean lm = last == Objective.PREFIX_LM;
        s.append(last == Objective.MIXTURE
                ? "A small T5 1.1-style encoder-decoder pretrained from scratch on prompttune's own corpus with span "
                + "corruption, then trained further on a promptability mixture: self-supervised classification tasks "
                + "built from the same text, phrased text-to-text with one-word answers, in the shape of a "
                + "label-initialised soft prompt (`PromptabilityMixture`; PPT, Gu et al. 2022, at toy scale). Its "
                + "decoder is meant to read the encoder from the first answer token on, which is what prompt tuning needs "
                + "(an experiment: see models/README.md, Promptability).\n\n"
                : lm ? "A small T5 1.1-style encoder-decoder pretrained from scratch on prompttune's own corpus with span "
                + "corruption, then LM-adapted (prefix LM), the recipe of the LM-adapted T5 that the prompt-tuning paper "
                + "found best for prompt tuning, at toy scale.\n\n"
                : "A small T5 1.1-style encoder-decoder pretrained from scratch on prompttune's own corpus with T5's span "
                + "corruption objective only (phase 1 of `t5-mini`). It answers in sentinel format "
                + "(`<extra_id_0> ... <extra_id_1> ...`); for prompt tuning prefer `t5-mini`, or prepend `<extra_id_0>` to "
                + "targets (the paper's \"span corruption + sentinel\").\n\n");
        s.append("Not a useful language model: ").append(String.format(Locale.ROOT, "%.1f", model.parameterCount() / 1e6))
                .append(" M parameters trained for minutes on 1.8 M words. It exists so that prompttune's examples, tests "
                        + "and benchmarks run offline on a laptop CPU with a model that has seen text.\n\n");
        s.append("## Architecture\n\n| | |\n|---|---|\n");
        s.append(String.format(Locale.ROOT, "| parameters | %,d (embedding %,d, untied LM head %,d) |%n", model.parameterCount(),
                (long) c.vocabSize * c.dModel, (long) c.vocabSize * c.dModel));
        s.append(String.format(Locale.ROOT, "| d_model / d_kv / heads / d_ff | %d / %d / %d / %d |%n", c.dModel, c.dKv, c.numHeads, c.dFf));
        s.append(String.format(Locale.ROOT, "| layers | %d encoder + %d decoder |%n", c.numLayers, c.numDecoderLayers));
        s.append("| feed-forward | gated-GELU (T5 1.1), untied LM head, no output scaling, relative position buckets 32 / max distance 128 |\n");
        s.append(String.format(Locale.ROOT, "| vocabulary | %,d (prompttune's unigram tokenizer, `data/tokenizer`; 100 sentinels) |%n", c.vocabSize));
        s.append(String.format(Locale.ROOT, "| weights | %s safetensors, %.1f MB |%n", options.dtype(), bytes / 1e6));
        s.append(String.format(Locale.ROOT, "| dropout | %.1f while pretraining (as T5 1.1); `dropout_rate` %.1f in config.json for tuning (as T5 1.1 ships) |%n%n",
                options.trainDropout(), c.dropoutRate));
        s.append("## Data\n\n`data/corpus/pretrain.txt.gz` (see `data/README.md`): Brown corpus, SpamAssassin e-mails and "
                + "fortunes; the tasks' dev and test material is held out of it. Tokenized without eos, concatenated, cut "
                + "into chunks; the last chunks are held out for a validation loss.\n\n");
        s.append("## Recipe\n\n");
        s.append("| phase | objective | steps | batch | chunk → input / target tokens | examples (passes) | optimizer | lr, schedule |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (PhaseResult p : phases) {
            boolean sp = p.objective() == Objective.SPAN_CORRUPTION;
            boolean mix = p.objective() == Objective.MIXTURE;
            Map<String, Object> o = options.asMap();
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s → %d / %d%s | %,d | %s | %s, warm-up %s then linear decay to 0 |%n",
                    p.name(), sp ? "span corruption (density 0.15, mean span 3)" : mix
                            ? "promptability mixture (below)" : "prefix LM (split uniform in [1, L−1])",
                    p.steps(), o.get("batch"), sp ? o.get("span_chunk") : mix ? o.get("mix_input") : o.get("lm_chunk"),
                    p.inputLength(), p.targetLength(), sp ? "" : " (mean)", p.trainExamples(), optimizerText(), p.lr(), p.warmup()));
        }
        if (last == Objective.MIXTURE && mixture != null) {
            s.append(MixtureCard.section(mixture, options));
        }
        s.append("\nT5 1.1 initialisation (`T5Model.random`), except the untied LM head: N(0, 1/d_model) as Mesh "
                + "TensorFlow initialises it rather than Hugging Face's N(0, 1). Every weight trained in float32 through "
                + "prompttune's `Trainer` (`Trainable.model`).\n\n");
        s.append("## Losses\n\nTraining loss (mean over each window of ").append(options.logEvery())
                .append(" steps) and held-out loss (").append(phases.get(0).devExamples()).append(" held-out chunks):\n\n");
        s.append("| phase | first step | last window | held-out (step: loss) | time | s/step |\n|---|---|---|---|---|---|\n");
        for (PhaseResult p : phases) {
            StringBuilder vals = new StringBuilder();
            for (double[] v : p.valLosses()) {
                vals.append(vals.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d: %.3f", (int) v[0], v[1]));
            }
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s | %.1f min | %.2f |%n", p.name(), p.firstLoss(), p.lastLoss(),
                    vals, p.seconds() / 60, p.secondsPerStep()));
        }
        s.append("\nEvery window: `pretrain-log.jsonl` (one JSON object a line: `phase`, `step`, `loss`, `lr`, `s`; "
                + "`val_loss` lines for the held-out loss; a `summary` line per phase).\n\n");
        s.append("## Greedy outputs\n\n| input | output |\n|---|---|\n");
        for (String[] x : phases.get(phases.size() - 1).samples()) {
            s.append("| `").append(x[0].replace("|", "\\|")).append("` | `").append(x[1].replace("|", "\\|")).append("` |\n");
        }
        s.append("\n## Rebuild\n\n```bash\n").append(BUILD_COMMAND).append("\n```\n\n");
        Map<String, Object> numerics = BuildNumerics.current();
        s.append("builds the tools module if needed and runs `dev.prompttune.tools.pretrain.Pretrainer` with the recipe above "
                + "(both phases; each writes its directory under `models/`). Same seed ⇒ same data order, noise masks, "
                + "split points and initialisation. Training amplifies any rounding difference into a different loss "
                + "curve within a few hundred steps, so the script also pins the CPU code paths (MKL, ATen and oneDNN at "
                + "AVX2, the convolution route off, 2 threads; each phase's `numerics` in `pretrain-log.jsonl` says what "
                + "a build had): with the same numerics the losses repeat exactly. Times above: ")
                .append(numerics.get("cpu")).append(", ").append(numerics.get("threads")).append(" threads.\n\n");
        String phase = lm ? "lm" : "span";
        s.append("Check without rebuilding (about 5 minutes): `models/build-t5-mini.sh --phases ").append(phase)
                .append(" --check 300` replays the first 300 steps of this recipe, writes nothing, and compares the loss "
                        + "windows and held-out losses with `pretrain-log.jsonl` (exit status 1 beyond a 1 % relative "
                        + "difference, listing how the numerics differ from the logged build's; `--check` with the "
                        + "phase's step count replays the whole phase).\n");
        return s.toString();
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

    /** Writes a compact line every N steps (mean loss of the window) and one per held-out evaluation. */
    private static final class Log implements TrainingListener {
        final String phase;
        final int every;
        final List<String> lines = new ArrayList<>();
        final List<double[]> windows = new ArrayList<>();
        final List<double[]> vals = new ArrayList<>();
        double sum;
        int count;
        long started = System.nanoTime();

        Log(String phase, int every) {
            this.phase = phase;
            this.every = Math.max(1, every);
        }

        @Override
        public void onStep(StepEvent e) {
            sum += e.loss();
            count++;
            if (e.step() == 1 || e.step() % every == 0 || e.step() == e.totalSteps()) {
                double mean = sum / count;
                double elapsed = (System.nanoTime() - started) / 1e9;
                windows.add(new double[] {e.step(), mean});
                lines.add(String.format(Locale.ROOT, "{\"phase\":\"%s\",\"step\":%d,\"loss\":%.4f,\"lr\":%.3g,\"s\":%.1f}",
                        phase, e.step(), mean, e.learningRate(), elapsed));
                System.out.printf(Locale.ROOT, "%s step %d/%d loss %.4f lr %.3g %.1f s (%.2f s/step)%n", phase, e.step(),
                        e.totalSteps(), mean, e.learningRate(), elapsed, elapsed / e.step());
                sum = 0;
                count = 0;
            }
        }

        @Override
        public void onEval(EvalEvent e) {
            vals.add(new double[] {e.step(), -e.value()});
            double elapsed = (System.nanoTime() - started) / 1e9;
            lines.add(String.format(Locale.ROOT, "{\"phase\":\"%s\",\"step\":%d,\"val_loss\":%.4f,\"s\":%.1f}", phase, e.step(),
                    -e.value(), elapsed));
            System.out.printf(Locale.ROOT, "%s step %d held-out loss %.4f%n", phase, e.step(), -e.value());
        }
    }
}
