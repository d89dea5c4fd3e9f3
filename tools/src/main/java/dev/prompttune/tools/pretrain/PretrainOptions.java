package dev.prompttune.tools.pretrain;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.Home;
import dev.prompttune.tools.ToolArgs;
import dev.prompttune.tools.pretrain.mix.MixtureRecipe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines a pretraining build ({@link Pretrainer}); {@link #defaults()} is the shipped recipe,
 * {@link #parse} reads {@code --key value} pairs over it.
 *
 * @param seed model initialisation, data order, noise masks and split points
 * @param corpus the pretraining text ({@code data/corpus/pretrain.txt.gz})
 * @param tokenizer directory with tokenizer.json and tokenizer_config.json ({@code data/tokenizer})
 * @param out directory that receives the checkpoint directories ({@code models})
 * @param trainDropout dropout while pretraining (T5 1.1: 0, "dropout was turned off in pre-training")
 * @param savedDropout {@code dropout_rate} written to config.json (T5 1.1 ships 0.1 for fine-tuning)
 * @param optimizer {@link PretrainOptimizer}: {@code adamw} or {@code adafactor-t5} (T5's pretraining Adafactor; not
 *                  the prompt-tuning spec's {@code adafactor})
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
 * @param mixRecipe the mixture's task shares ({@code --mix-recipe}: {@link MixtureRecipe#key()})
 * @param mixTied true: the mixture phase first ties the LM head to the input embedding (T5 1.0 style, outputs
 *              scaled by d_model^-½; the span checkpoint's untied head is dropped), so an answer word's output row is
 *              its input embedding
 * @param mixFromRandom true: the mixture phase starts from T5's random initialisation instead of the span checkpoint
 *              (measured: the span checkpoint's decoder, which learned to ignore its encoder, reads it later than
 *              random weights do; models/README.md, Promptability)
 * @param initEmbeddings how a build from random weights initialises the input embedding: {@code random} (T5's
 *              N(0, 1)) or {@code ppmi} ({@code PpmiEmbeddings} of the mixture's training passages, needs d_model
 *              dimensions; mixture phase from random weights only)
 * @param ppmiWindow the co-occurrence window of {@code ppmi} (tokens either side)
 * @param tasks the evaluation tasks ({@code data/tasks}) whose dev/test text and label words the mixture holds out
 * @param save false to train without writing checkpoints (timing and learning-rate trials)
 * @param check N > 0: run only the first N steps of each phase's full schedule, write nothing, and compare the
 *              losses with {@code out/NAME/pretrain-log.jsonl} ({@link RebuildCheck}); 0: a normal build
 * @param checkTolerance the largest relative difference {@code check} accepts (0.01 = 1 %)
 * @param resume true: continue each phase from its checkpoint ({@code out/NAME.resume/}, written at every held-out
 *               evaluation and on Ctrl-C) where there is one; false: a phase with a checkpoint is refused (no lost work)
 */
public record PretrainOptions(long seed, Path corpus, Path tokenizer, Path out,
                      int dModel, int dKv, int heads, int dFf, int encoderLayers, int decoderLayers,
                      float trainDropout, float savedDropout, int batch,
                      int spanSteps, int spanChunk, float spanLr,
                      int lmSteps, int lmChunk, int lmTarget, float lmLr,
                      int mixSteps, int mixInput, float mixLr, float mixSavedDropout, Path tasks, String mixName,
                      MixtureRecipe mixRecipe, boolean mixTied, boolean mixFromRandom, String initEmbeddings,
                      int ppmiWindow,
                      String optimizer, int warmup, float maxGradNorm, int logEvery, int evalEvery, int devExamples,
                      String dtype, String phases, String spanName, String lmName, boolean save,
                      int check, double checkTolerance, boolean resume) {

    /** The recipe of the shipped {@code models/t5-mini} (seed 1). */
    public static PretrainOptions defaults() {
        return new PretrainOptions(1, Home.get().resolve("data/corpus/pretrain.txt.gz"),
                Home.get().resolve("data/tokenizer"), Home.models(),
                192, 32, 4, 512, 4, 4,
                0f, 0.1f, 32,
                4500, 128, 3e-3f,
                3000, 128, 16, 2e-3f,
                1500, 128, 1e-3f, 0f, Home.tasks(), "t5-mini-mix",
                MixtureRecipe.OPTIONS, false, false, "random", 10,
                "adamw", 100, 0f, 50, 250, 256,
                "BF16", "span,lm", "t5-mini-span", "t5-mini", true,
                0, 0.01, false);
    }

    /** Parses {@code --key value} pairs over the defaults. */
    public static PretrainOptions parse(String[] args) {
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
        // Each number is read by integer/real/seed below, which name the option: no NumberFormatException gets here.
        PretrainOptions o = parseOver(defaults(), a);
        if (!INIT_EMBEDDINGS.contains(o.initEmbeddings())) {
            throw new PromptTuneException("--init-embeddings '" + o.initEmbeddings() + "' is not known; allowed: "
                    + String.join(", ", INIT_EMBEDDINGS));
        }
        if (o.initEmbeddings().equals("ppmi") && (!o.phases().contains("mix") || !o.mixFromRandom())) {
            throw new PromptTuneException("--init-embeddings ppmi initialises a mixture phase that starts from random "
                    + "weights; allowed with --phases mix and --mix-from-random true (here --phases " + o.phases()
                    + ", --mix-from-random " + o.mixFromRandom() + ")");
        }
        // A phase draws steps × batch examples up front: past an int they cannot be counted (it was an
        // ArithmeticException's stack trace), and a phase of 0 steps has no schedule (it named an internal setting).
        for (String phase : o.phases().split(",")) {
            int steps = switch (phase) {
                case "span" -> o.spanSteps();
                case "lm" -> o.lmSteps();
                default -> o.mixSteps();
            };
            long examples = (long) steps * o.batch();
            if (examples > Integer.MAX_VALUE) {
                throw new PromptTuneException("--" + phase + "-steps " + steps + " × --batch " + o.batch() + " = " + examples
                        + " examples; allowed: at most " + Integer.MAX_VALUE + " examples a phase (steps × batch)");
            }
        }
        if (o.check() > 0 && o.resume()) {
            throw new PromptTuneException("--check " + o.check() + " with --resume true: a check replays from step 0 and "
                    + "writes nothing; allowed: one of them");
        }
        return o;
    }

    private static PretrainOptions parseOver(PretrainOptions d, Map<String, String> a) {
        return new PretrainOptions(
                seed(a, d.seed),
                Path.of(a.getOrDefault("corpus", d.corpus.toString())),
                Path.of(a.getOrDefault("tokenizer", d.tokenizer.toString())),
                Path.of(a.getOrDefault("out", d.out.toString())),
                integer(a, "d-model", d.dModel, 1),
                integer(a, "d-kv", d.dKv, 1),
                integer(a, "heads", d.heads, 1),
                integer(a, "d-ff", d.dFf, 1),
                integer(a, "encoder-layers", d.encoderLayers, 1),
                integer(a, "decoder-layers", d.decoderLayers, 1),
                (float) real(a, "train-dropout", d.trainDropout),
                (float) real(a, "saved-dropout", d.savedDropout),
                integer(a, "batch", d.batch, 1),
                integer(a, "span-steps", d.spanSteps, 1),
                integer(a, "span-chunk", d.spanChunk, 1),
                (float) real(a, "span-lr", d.spanLr),
                integer(a, "lm-steps", d.lmSteps, 1),
                integer(a, "lm-chunk", d.lmChunk, 1),
                integer(a, "lm-target", d.lmTarget, 1),
                (float) real(a, "lm-lr", d.lmLr),
                integer(a, "mix-steps", d.mixSteps, 1),
                integer(a, "mix-input", d.mixInput, 1),
                (float) real(a, "mix-lr", d.mixLr),
                (float) real(a, "mix-saved-dropout", d.mixSavedDropout),
                Path.of(a.getOrDefault("tasks", d.tasks.toString())),
                a.getOrDefault("mix-name", d.mixName),
                MixtureRecipe.of(a.getOrDefault("mix-recipe", d.mixRecipe.key())),
                bool("mix-tied", a.getOrDefault("mix-tied", "" + d.mixTied)),
                bool("mix-from-random", a.getOrDefault("mix-from-random", "" + d.mixFromRandom)),
                a.getOrDefault("init-embeddings", d.initEmbeddings),
                integer(a, "ppmi-window", d.ppmiWindow, 1),
                a.getOrDefault("optimizer", d.optimizer),
                integer(a, "warmup", d.warmup, 0),
                (float) real(a, "max-grad-norm", d.maxGradNorm),
                integer(a, "log-every", d.logEvery, 1),
                integer(a, "eval-every", d.evalEvery, 0),
                integer(a, "dev-examples", d.devExamples, 1),
                oneOf(a, "dtype", d.dtype, DTYPES),
                phases(a.getOrDefault("phases", d.phases)),
                a.getOrDefault("span-name", d.spanName),
                a.getOrDefault("lm-name", d.lmName),
                bool("save", a.getOrDefault("save", "" + d.save)),
                integer(a, "check", d.check, 0),
                real(a, "check-tolerance", d.checkTolerance),
                bool("resume", a.getOrDefault("resume", "" + d.resume)));
    }

    /** The weight types a build can save ({@code T5CheckpointWriter}). */
    static final List<String> DTYPES = List.of("F32", "BF16");

    /** The phases a build can run, in the order it runs them. */
    static final List<String> PHASES = List.of("span", "lm", "mix");

    /** {@code --KEY N}: a whole number >= {@code min}, or the default; a bad one is named with what is allowed. */
    private static int integer(Map<String, String> a, String key, int fallback, int min) {
        String v = a.get(key);
        return v == null ? fallback : ToolArgs.integer("--" + key, v, min);
    }

    /** {@code --KEY X}: a finite number >= 0 (learning rates, dropouts, norms, tolerances), or the default. */
    private static double real(Map<String, String> a, String key, double fallback) {
        String v = a.get(key);
        if (v == null) {
            return fallback;
        }
        double x;
        try {
            x = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException("--" + key + " is '" + v + "'; allowed: a finite number >= 0");
        }
        if (!Double.isFinite(x) || x < 0 || x > Float.MAX_VALUE) {
            throw new PromptTuneException("--" + key + " is '" + v + "'; allowed: a finite number >= 0");
        }
        return x;
    }

    private static long seed(Map<String, String> a, long fallback) {
        String v = a.get("seed");
        try {
            return v == null ? fallback : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException("--seed is '" + v + "'; allowed: a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE);
        }
    }

    private static String oneOf(Map<String, String> a, String key, String fallback, List<String> allowed) {
        String v = a.getOrDefault(key, fallback);
        if (!allowed.contains(v)) {
            throw new PromptTuneException("--" + key + " '" + v + "' is not known; allowed: " + String.join(", ", allowed));
        }
        return v;
    }

    /** {@code --phases span,lm}: a comma list of known phases, each once (a build of none would do nothing). */
    private static String phases(String v) {
        List<String> given = List.of(v.split(",", -1));
        for (String p : given) {
            if (!PHASES.contains(p)) {
                throw new PromptTuneException("--phases '" + v + "': '" + p + "' is not a phase; allowed: a comma list of "
                        + String.join(", ", PHASES));
            }
        }
        if (given.stream().distinct().count() != given.size()) {
            throw new PromptTuneException("--phases '" + v + "' names a phase twice; allowed: each of " + String.join(", ", PHASES) + " once");
        }
        return v;
    }

    private static boolean bool(String option, String value) {
        return ToolArgs.bool("--" + option, value);
    }

    private static final List<String> KNOWN = List.of("seed", "corpus", "tokenizer", "out", "d-model", "d-kv", "heads",
            "d-ff", "encoder-layers", "decoder-layers", "train-dropout", "saved-dropout", "batch", "span-steps",
            "span-chunk", "span-lr", "lm-steps", "lm-chunk", "lm-target", "lm-lr", "mix-steps", "mix-input", "mix-lr",
            "mix-saved-dropout", "tasks", "mix-name", "mix-recipe", "mix-tied", "mix-from-random", "init-embeddings",
            "ppmi-window", "optimizer", "warmup", "max-grad-norm", "log-every",
            "eval-every", "dev-examples", "dtype", "phases", "span-name", "lm-name", "save", "check", "check-tolerance",
            "resume");

    /** The values of {@code --init-embeddings}. */
    static final List<String> INIT_EMBEDDINGS = List.of("random", "ppmi");

    /**
     * Refuses a model shape whose largest weight would not fit a Java array (and so could not be initialised,
     * checkpointed or saved): it failed with an overflow's stack trace, or a DJL message about shapes, once the
     * model was built. Called once the tokenizer (the vocabulary size) is known.
     */
    public void requireWeightsFit(int vocabSize) {
        Map<String, Long> weights = new LinkedHashMap<>();
        weights.put("the vocabulary (" + vocabSize + ") × --d-model " + dModel, (long) vocabSize * dModel);
        weights.put("--d-model " + dModel + " × --d-ff " + dFf, (long) dModel * dFf);
        // Three ints multiplied: each below 2^31, so a double is exact enough to compare against 2^31.
        double attention = (double) dModel * heads * dKv;
        weights.put("--d-model " + dModel + " × --heads " + heads + " × --d-kv " + dKv,
                attention > Long.MAX_VALUE ? Long.MAX_VALUE : (long) attention);
        for (Map.Entry<String, Long> w : weights.entrySet()) {
            if (w.getValue() > Integer.MAX_VALUE) {
                throw new PromptTuneException("a weight of " + w.getKey() + " = " + w.getValue() + " values; allowed: at most "
                        + Integer.MAX_VALUE + " values a weight (a Java array)");
            }
        }
    }

    /** The T5 1.1 configuration (gated-GELU, untied head, no output scaling) of the model to build. */
    public T5Config config(int vocabSize) {
        return config(vocabSize, false);
    }

    /** {@link #config(int)}, or with the LM head tied to the input embedding (T5 1.0 style, outputs scaled). */
    public T5Config config(int vocabSize, boolean tiedHead) {
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
        o.addProperty("tie_word_embeddings", tiedHead);
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
        m.put("mix_recipe", mixRecipe.key());
        m.put("mix_tied", mixTied);
        m.put("mix_from_random", mixFromRandom);
        m.put("init_embeddings", initEmbeddings);
        m.put("ppmi_window", ppmiWindow);
        m.put("optimizer", optimizer);
        m.put("warmup", warmup);
        m.put("max_grad_norm", maxGradNorm);
        m.put("dev_examples", devExamples);
        m.put("dtype", dtype);
        return m;
    }
}

