package dev.prompttune.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A T5 configuration, read from a Hugging Face {@code config.json}. Field names follow Java conventions; the
 * javadoc of each names the Hugging Face key it comes from, so the two can be grepped side by side.
 *
 * <p>Covers T5 1.0 (ReLU, tied head), T5 1.1 / LM-adapted / Flan-T5 (gated-GELU, untied head) and the gated-SiLU
 * variants; what a variant means is decided here once (activation, gating, head tying, output scaling) so the
 * model code does not branch on version names.
 */
public final class T5Config {

    /** Feed-forward activations a T5 checkpoint may name in {@code dense_act_fn} / {@code feed_forward_proj}. */
    public static final List<String> ACTIVATIONS = List.of("relu", "gelu_new", "gelu", "silu", "gelu_pytorch_tanh");

    /** {@code vocab_size}: rows of the embedding table (and of the LM head). */
    public final int vocabSize;
    /** {@code d_model}: width H of the residual stream. */
    public final int dModel;
    /** {@code d_kv}: width of one attention head. */
    public final int dKv;
    /** {@code d_ff}: inner width of the feed-forward block. */
    public final int dFf;
    /** {@code num_heads}. */
    public final int numHeads;
    /** {@code num_layers}: encoder blocks. */
    public final int numLayers;
    /** {@code num_decoder_layers} (defaults to {@code num_layers}). */
    public final int numDecoderLayers;
    /** {@code relative_attention_num_buckets} (default 32). */
    public final int relativeAttentionNumBuckets;
    /** {@code relative_attention_max_distance} (default 128). */
    public final int relativeAttentionMaxDistance;
    /** {@code dropout_rate} (default 0.1): used only in training mode. */
    public final float dropoutRate;
    /** {@code layer_norm_epsilon} (default 1e-6). */
    public final float layerNormEpsilon;
    /** Activation of the feed-forward block, from {@code dense_act_fn} or {@code feed_forward_proj}. */
    public final String activation;
    /** Gated feed-forward ({@code wi_0}, {@code wi_1}) when {@code feed_forward_proj} starts with {@code gated-}. */
    public final boolean gated;
    /** {@code tie_word_embeddings} (default true): the LM head is {@code shared.weight}. */
    public final boolean tieWordEmbeddings;
    /**
     * Multiply the decoder output by d_model^-0.5 before the LM head. Transformers 5 saves
     * {@code scale_decoder_outputs}; older configs imply it by {@code tie_word_embeddings}.
     */
    public final boolean scaleDecoderOutputs;
    /** {@code pad_token_id} (default 0). */
    public final int padTokenId;
    /** {@code eos_token_id} (default 1). */
    public final int eosTokenId;
    /** {@code decoder_start_token_id} (defaults to the pad id, as for every T5). */
    public final int decoderStartTokenId;
    /** Where the configuration came from, for error messages. */
    public final String source;

    private T5Config(JsonObject json, String source) {
        this.source = source;
        String modelType = string(json, "model_type", null);
        if (modelType == null || !(modelType.equals("t5") || modelType.equals("mt5") || modelType.equals("umt5"))) {
            String archs = json.has("architectures") ? json.get("architectures").toString() : "none";
            throw new PromptTuneException(source + ": model_type is " + (modelType == null ? "missing" : "'" + modelType + "'")
                    + " (architectures " + archs + "); prompttune runs T5-family encoder-decoders only (model_type 't5')");
        }
        vocabSize = positiveInt(json, "vocab_size", null);
        dModel = positiveInt(json, "d_model", null);
        dKv = positiveInt(json, "d_kv", null);
        dFf = positiveInt(json, "d_ff", null);
        numHeads = positiveInt(json, "num_heads", null);
        numLayers = positiveInt(json, "num_layers", null);
        numDecoderLayers = positiveInt(json, "num_decoder_layers", numLayers);
        relativeAttentionNumBuckets = positiveInt(json, "relative_attention_num_buckets", 32);
        relativeAttentionMaxDistance = positiveInt(json, "relative_attention_max_distance", 128);
        dropoutRate = (float) number(json, "dropout_rate", 0.1);
        layerNormEpsilon = (float) number(json, "layer_norm_epsilon", 1e-6);
        if (!(layerNormEpsilon > 0) || !Float.isFinite(layerNormEpsilon)) {
            // RMS norm divides by sqrt(mean(x^2) + eps): eps <= 0 gives NaN or infinity on a zero row.
            throw new PromptTuneException(source + ": 'layer_norm_epsilon' is " + json.get("layer_norm_epsilon")
                    + "; expected a positive number (T5 uses 1e-6)");
        }
        padTokenId = tokenId(json, "pad_token_id", 0);
        eosTokenId = tokenId(json, "eos_token_id", 1);
        decoderStartTokenId = tokenId(json, "decoder_start_token_id", padTokenId);

        // Hugging Face's rule: "gated-X" means a gated feed-forward with activation X, and "gated-gelu" means the
        // tanh approximation (gelu_new) for backward compatibility with the original T5 1.1 checkpoints.
        String proj = string(json, "feed_forward_proj", "relu");
        String[] parts = proj.split("-");
        boolean isGated = parts.length == 2 && parts[0].equals("gated");
        if (!(parts.length == 1 || isGated)) {
            throw new PromptTuneException(source + ": feed_forward_proj '" + proj
                    + "' is not valid; expected ACT or gated-ACT with ACT one of " + ACTIVATIONS);
        }
        gated = isGated;
        String act = proj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
        if (!ACTIVATIONS.contains(act)) {
            throw new PromptTuneException(source + ": feed-forward activation '" + act + "' is not supported; supported: "
                    + ACTIVATIONS);
        }
        activation = act;
        tieWordEmbeddings = bool(json, "tie_word_embeddings", true);
        scaleDecoderOutputs = bool(json, "scale_decoder_outputs", tieWordEmbeddings);
        if (dropoutRate < 0 || dropoutRate >= 1) {
            throw new PromptTuneException(source + ": dropout_rate " + dropoutRate + " is out of range; allowed: 0 <= rate < 1");
        }
    }

    /** Reads {@code DIR/config.json}, with one-line errors naming the file. */
    public static T5Config load(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isDirectory(dir)) {
            throw new PromptTuneException("model directory " + dir + " does not exist");
        }
        PathProblems.requireReadableFolder(dir, "model directory");
        if (!Files.isRegularFile(file)) {
            throw new PromptTuneException(dir + " has no config.json: not a Hugging Face model directory");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read " + file + ": " + PathProblems.describe(file, e), e);
        }
        return parse(text, file.toString());
    }

    /** Parses config JSON text; {@code source} names it in errors. */
    public static T5Config parse(String json, String source) {
        JsonElement root = JsonFiles.parse(json, source);
        if (!root.isJsonObject()) {
            throw new PromptTuneException(source + " is not a JSON object");
        }
        return new T5Config(root.getAsJsonObject(), source);
    }

    /** Hugging Face {@code config.json} content for this configuration (what {@link T5CheckpointWriter} saves). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        com.google.gson.JsonArray archs = new com.google.gson.JsonArray();
        archs.add("T5ForConditionalGeneration");
        o.add("architectures", archs);
        o.addProperty("model_type", "t5");
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("d_model", dModel);
        o.addProperty("d_kv", dKv);
        o.addProperty("d_ff", dFf);
        o.addProperty("num_heads", numHeads);
        o.addProperty("num_layers", numLayers);
        o.addProperty("num_decoder_layers", numDecoderLayers);
        o.addProperty("relative_attention_num_buckets", relativeAttentionNumBuckets);
        o.addProperty("relative_attention_max_distance", relativeAttentionMaxDistance);
        o.addProperty("dropout_rate", dropoutRate);
        o.addProperty("layer_norm_epsilon", layerNormEpsilon);
        o.addProperty("feed_forward_proj", (gated ? "gated-" : "") + (gated && activation.equals("gelu_new") ? "gelu" : activation));
        o.addProperty("dense_act_fn", activation);
        o.addProperty("is_gated_act", gated);
        o.addProperty("tie_word_embeddings", tieWordEmbeddings);
        o.addProperty("scale_decoder_outputs", scaleDecoderOutputs);
        o.addProperty("pad_token_id", padTokenId);
        o.addProperty("eos_token_id", eosTokenId);
        o.addProperty("decoder_start_token_id", decoderStartTokenId);
        o.addProperty("is_encoder_decoder", true);
        return o;
    }

    /** Width of all heads together (num_heads × d_kv), the output width of q, k and v. */
    public int innerDim() {
        return numHeads * dKv;
    }

    private int positiveInt(JsonObject json, String key, Integer fallback) {
        if (!json.has(key) || json.get(key).isJsonNull()) {
            if (fallback == null) {
                throw new PromptTuneException(source + ": required key '" + key + "' is missing");
            }
            return fallback;
        }
        double v = number(json, key, 0);
        if (v < 1 || v != Math.rint(v)) {
            throw new PromptTuneException(source + ": '" + key + "' is " + json.get(key) + "; expected a positive integer");
        }
        return (int) v;
    }

    /** A token id: a whole number from 0 to vocab_size - 1 (read after vocab_size). */
    private int tokenId(JsonObject json, String key, int fallback) {
        double v = number(json, key, fallback);
        if (v < 0 || v >= vocabSize || v != Math.rint(v)) {
            throw new PromptTuneException(source + ": '" + key + "' is " + json.get(key) + "; expected a token id from 0 to "
                    + (vocabSize - 1) + " (vocab_size " + vocabSize + ")");
        }
        return (int) v;
    }

    private double number(JsonObject json, String key, double fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new PromptTuneException(source + ": '" + key + "' is " + e + "; expected a number");
        }
        return e.getAsDouble();
    }

    private String string(JsonObject json, String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private boolean bool(JsonObject json, String key, boolean fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new PromptTuneException(source + ": '" + key + "' is " + e + "; expected true or false");
        }
        return e.getAsBoolean();
    }
}
