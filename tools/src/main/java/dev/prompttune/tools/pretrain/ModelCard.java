package dev.prompttune.tools.pretrain;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.tools.pretrain.mix.PromptabilityMixture;
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

/**
 * A phase's checkpoint directory beside its weights: tokenizer files, generation_config.json, the phase's history
 * ({@code pretrain-log.jsonl}, the span phase's lines first in a later phase's checkpoint) and the model card
 * ({@code README.md}: architecture, data, recipe, losses, greedy outputs, how to rebuild and check it).
 */
final class ModelCard {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final String BUILD_COMMAND = "models/build-t5-mini.sh --seed 1";

    private final PretrainOptions options;
    /** The mixture a mix phase trained on (its section of the card), else null. */
    private final PromptabilityMixture mixture;

    /** The encoder-reading probe of the checkpoint, when the build measured it (mixture builds), else null. */
    private final EncoderReadingProbe.Result probe;

    ModelCard(PretrainOptions options, PromptabilityMixture mixture, EncoderReadingProbe.Result probe) {
        this.options = options;
        this.mixture = mixture;
        this.probe = probe;
    }

    /** Writes the checkpoint directory {@code dir}: weights, tokenizer, generation config, log and card. */
    void save(T5Model model, Path dir, PhaseResult pr, List<String> logLines) {
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
            boolean fromRandom = pr.objective() == Objective.MIXTURE && options.mixFromRandom();
            if (pr.objective() != Objective.SPAN_CORRUPTION && !fromRandom) {
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
        boolean keywordBuild = last == Objective.MIXTURE && options.mixRecipe().keywordTask();
        String start = options.mixFromRandom() ? "from T5's random initialisation" : "from `" + options.spanName() + "`";
        s.append(keywordBuild
                ? "A small T5 encoder-decoder (T5 1.1's gated-GELU feed-forward, T5 1.0's tied LM head) pretrained "
                + start + " on prompttune's own corpus with " + options.mixRecipe().keywordTasksText()
                + " (mixture recipe `" + options.mixRecipe().key() + "`), with T5's own "
                + "optimizer (Adafactor, steps relative to each weight's scale). The task teaches the decoder to read its encoder for the first answer "
                + "token, which is the only way a soft prompt reaches the output; the span-corruption checkpoints "
                + "of this size do not (models/README.md, Promptability).\n\n"
                : last == Objective.MIXTURE
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
        s.append(c.tieWordEmbeddings
                ? String.format(Locale.ROOT, "| parameters | %,d (embedding %,d, shared with the LM head) |%n",
                        model.parameterCount(), (long) c.vocabSize * c.dModel)
                : String.format(Locale.ROOT, "| parameters | %,d (embedding %,d, untied LM head %,d) |%n",
                        model.parameterCount(), (long) c.vocabSize * c.dModel, (long) c.vocabSize * c.dModel));
        s.append(String.format(Locale.ROOT, "| d_model / d_kv / heads / d_ff | %d / %d / %d / %d |%n", c.dModel, c.dKv, c.numHeads, c.dFf));
        s.append(String.format(Locale.ROOT, "| layers | %d encoder + %d decoder |%n", c.numLayers, c.numDecoderLayers));
        s.append(c.tieWordEmbeddings
                ? "| feed-forward | gated-GELU (T5 1.1), LM head tied to the input embedding with outputs scaled by "
                + "d_model^-½ (T5 1.0), relative position buckets 32 / max distance 128 |\n"
                : "| feed-forward | gated-GELU (T5 1.1), untied LM head, no output scaling, relative position buckets 32 / max distance 128 |\n");
        s.append(String.format(Locale.ROOT, "| vocabulary | %,d (prompttune's unigram tokenizer, `data/tokenizer`; 100 sentinels) |%n", c.vocabSize));
        s.append(String.format(Locale.ROOT, "| weights | %s safetensors, %.1f MB |%n", options.dtype(), bytes / 1e6));
        s.append(last == Objective.MIXTURE
                ? String.format(Locale.ROOT, "| dropout | %.1f while pretraining; `dropout_rate` %.1f in config.json, so "
                        + "prompt tuning runs at the rate the model was trained at |%n%n", options.trainDropout(),
                        options.mixSavedDropout())
                : String.format(Locale.ROOT, "| dropout | %.1f while pretraining (as T5 1.1); `dropout_rate` %.1f in "
                        + "config.json for tuning (as T5 1.1 ships) |%n%n", options.trainDropout(), c.dropoutRate));
        if (probe != null) {
            s.append(String.format(Locale.ROOT, "## Encoder-reading probe%n%nHeld-out loss of the build's %d held-out "
                            + "examples with each example's own encoder input: %.4f; with another example's input (same "
                            + "targets): %.4f; gap %.3f nats per target token. A decoder that ignores its encoder scores "
                            + "both alike, and a soft prompt acts only through the encoder (`EncoderReadingProbe`; "
                            + "models/README.md, Promptability).%n%n", probe.examples(), probe.ownInputLoss(),
                    probe.otherInputLoss(), probe.gap()));
        }
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
        s.append(c.tieWordEmbeddings
                ? "\nT5 initialisation (`T5Model.random`); the LM head is the input embedding. Every weight trained in "
                + "float32 through prompttune's `Trainer` (`Trainable.model`).\n\n"
                : "\nT5 1.1 initialisation (`T5Model.random`), except the untied LM head: N(0, 1/d_model) as Mesh "
                + "TensorFlow initialises it rather than Hugging Face's N(0, 1). Every weight trained in float32 through "
                + "prompttune's `Trainer` (`Trainable.model`).\n\n");
        if (options.initEmbeddings().equals("ppmi")) {
            s.append(String.format(Locale.ROOT, "The input embedding (and so the tied LM head) started instead from word "
                    + "vectors of the mixture's own training passages (`--init-embeddings ppmi`, `PpmiEmbeddings`): the "
                    + "truncated SVD (U·√Σ, %d dimensions) of the positive PMI matrix of token co-occurrences within %d "
                    + "tokens, context counts smoothed by the power 0.75 (Levy, Goldberg & Dagan 2015), scaled to T5's "
                    + "N(0, 1); tokens the passages never hold (sentinels, pad, eos, unk, a few rare pieces) kept their random rows. Computed in double "
                    + "precision in a fixed order, so it starts alike on every CPU.%n%n", c.dModel, options.ppmiWindow()));
        }
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
        // A shipped keyword-family model has its own script, named after it (models/build-NAME.sh).
        String keywordsCommand = "models/build-" + name + ".sh";
        String command = keywordBuild ? keywordsCommand : BUILD_COMMAND;
        s.append("\n## Rebuild\n\n```bash\n").append(command).append("\n```\n\n");
        Map<String, Object> numerics = BuildNumerics.current();
        s.append("builds the tools module if needed and runs `dev.prompttune.tools.pretrain.Pretrainer` with the recipe above "
                + (keywordBuild ? "(one phase, written to `models/" + name + "`)" : "(both phases; each writes its directory under `models/`)")
                + ". Same seed ⇒ same data order, noise masks, "
                + "split points and initialisation. Training amplifies any rounding difference into a different loss "
                + "curve within a few hundred steps, so the script also pins the CPU code paths (MKL, ATen and oneDNN at "
                + "AVX2, the convolution route off, 2 threads; each phase's `numerics` in `pretrain-log.jsonl` says what "
                + "a build had): with the same numerics the losses repeat exactly. Times above: ")
                .append(numerics.get("cpu")).append(", ").append(numerics.get("threads")).append(" threads.\n\n");
        String phase = lm ? "lm" : "span";
        s.append("Check without rebuilding (a few minutes): `").append(keywordBuild ? keywordsCommand
                        : "models/build-t5-mini.sh --phases " + phase)
                .append(" --check 300` replays the first 300 steps of this recipe, writes nothing, and compares the loss "
                        + "windows and held-out losses with `pretrain-log.jsonl` (exit status 1 beyond a 1 % relative "
                        + "difference, listing how the numerics differ from the logged build's; `--check` with the "
                        + "phase's step count replays the whole phase).\n");
        return s.toString();
    }

    /** The optimizer as the model card's recipe table names it, with the gradient clipping. */
    String optimizerText() {
        return options.maxGradNorm() > 0
                ? String.format(Locale.ROOT, "%s, gradients clipped to global norm %s", options.optimizer(), options.maxGradNorm())
                : options.optimizer();
    }

}
