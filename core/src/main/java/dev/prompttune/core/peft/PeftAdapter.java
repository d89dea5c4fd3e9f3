package dev.prompttune.core.peft;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.io.TensorInfo;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.promptfile.AtomicText;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.PromptMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face PEFT prompt-tuning adapter directory: {@code adapter_config.json} ({@code peft_type PROMPT_TUNING})
 * and {@code adapter_model.safetensors} with {@code prompt_embeddings} [p · num_transformer_submodules, H].
 *
 * <p>For seq2seq models PEFT defaults num_transformer_submodules to 2 but only rows [0, p) reach the encoder;
 * the other p rows are never trained. Import keeps the first p rows ({@link #values()}); {@link #stored()} is the
 * whole tensor. Export writes num_transformer_submodules 1 (only the prompt that is used, as in the paper). Every
 * reader ({@code init file(DIR)}, {@code import-peft}, {@code importPeft}) reads an adapter with {@link #importFrom}
 * and checks it with {@link #check}: the prompt is those p rows, whatever else the tensor holds.
 *
 * @param dir the adapter's folder
 * @param length p = num_virtual_tokens
 * @param width H = token_dim
 * @param submodules num_transformer_submodules (rows stored = p · submodules)
 * @param stored the whole tensor, row-major [p · submodules, H]
 * @param config adapter_config.json as a map (keys sorted)
 * @param recorded the prompt metadata prompttune's export keeps in the weights' safetensors header (above all the
 *     embedding fingerprint of the model the prompt was trained on), or null: an adapter written elsewhere
 */
public record PeftAdapter(Path dir, int length, int width, int submodules, float[] stored, Map<String, Object> config,
                          PromptMetadata recorded) {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String TENSOR = "prompt_embeddings";
    public static final String PEFT_TYPE = "PROMPT_TUNING";
    public static final String TASK_TYPE = "SEQ_2_SEQ_LM";
    /** The PEFT release whose adapter files this exporter reproduces (key set and layout). */
    public static final String PEFT_FORMAT_VERSION = "0.21.0";

    private static final Logger LOG = LoggerFactory.getLogger(PeftAdapter.class);

    /** Adapters already said to name another base model, by folder and model: a script reads one several times. */
    private static final Set<String> OTHER_BASE_SAID = ConcurrentHashMap.newKeySet();

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    /** The prompt the encoder sees: the first p rows, row-major [p, H]. */
    public float[] values() {
        return Arrays.copyOf(stored, length * width);
    }

    /** What a script's {@code println importPeft(…)} shows: the shape and base model, not the array's identity. */
    @Override
    public String toString() {
        return "PEFT prompt-tuning adapter: " + length + " virtual tokens × width " + width
                + (submodules > 1 ? " (" + submodules + " transformer submodules stored)" : "")
                + (baseModel() == null ? "" : ", base model " + baseModel());
    }

    /** {@code base_model_name_or_path}, or null. */
    public String baseModel() {
        Object v = config.get("base_model_name_or_path");
        return v == null ? null : v.toString();
    }

    /** The weights file, as messages about the prompt name it. */
    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    /**
     * The prompt the encoder sees ({@link #values()}, [p, H]) as a prompt read from the weights file, with the metadata
     * prompttune recorded there ({@link #recorded}), else only the base model its config names.
     */
    public PromptFile.Loaded prompt() {
        PromptMetadata.Builder meta = recorded != null ? recorded.toBuilder() : PromptMetadata.builder().baseModel(baseModel());
        return new PromptFile.Loaded(weights(), values(), length, width, meta.shape(length, width).build());
    }

    /**
     * The one check of an adapter's prompt, wherever it is read: {@link PromptCheck} of {@link #prompt()} (the first p
     * rows only: NaN in rows that never reach the encoder is no reason to refuse it, NaN in those that do always is),
     * the embedding fingerprint included when prompttune recorded one. An adapter written elsewhere records none; when
     * its base_model_name_or_path names another model than {@code target}, that is said once in a warning (not refused:
     * a hub id and a local folder name the same model differently, and only the width can be checked).
     *
     * @param target the model that will use it; null: not known (finite values only)
     */
    public PromptFile.Loaded check(PromptCheck.Target target, boolean anyModel) {
        PromptFile.Loaded prompt = PromptCheck.check(prompt(), target, anyModel);
        String base = baseModel();
        boolean fingerprinted = recorded != null && recorded.embeddingFingerprint() != null;
        if (target != null && !fingerprinted && base != null && !base.isBlank() && !sameModel(base, target.name())
                && OTHER_BASE_SAID.add(dir.toAbsolutePath().normalize() + "\u0000" + target.name())) {
            LOG.warn("PEFT adapter {} was made for base model '{}' ({} base_model_name_or_path) but is used with model {}; "
                    + "it records no embedding fingerprint, so only its width was checked", dir, base, CONFIG, target.name());
        }
        return prompt;
    }

    /** Whether a base_model_name_or_path and our model name the same model: equal, or equal folder (last) names. */
    static boolean sameModel(String base, String model) {
        return base.equals(model) || lastName(base).equals(lastName(model));
    }

    private static String lastName(String nameOrPath) {
        String trimmed = nameOrPath.replaceAll("[/\\\\]+$", "");
        return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    }

    /** A prompt holding {@link #values()} (owned by the caller). */
    public SoftPrompt toSoftPrompt(NDManager parent) {
        return SoftPrompt.of(values(), length, width, parent);
    }

    /** Reads and validates a PEFT prompt-tuning adapter directory. */
    public static PeftAdapter importFrom(Path dir) {
        Path configFile = dir.resolve(CONFIG);
        Path weights = dir.resolve(WEIGHTS);
        String notFolder = PathProblems.notDirectory(dir);
        if (notFolder != null) {
            // "does not exist", "is a file, not a folder", "is a symbolic link loop": not "has no adapter_config.json"
            throw new PromptTuneException(PathProblems.sentence("PEFT adapter " + dir, notFolder,
                    "a folder holding " + CONFIG + " and " + WEIGHTS));
        }
        PathProblems.requireReadableFolder(dir, "PEFT adapter");
        if (!Files.isRegularFile(configFile)) {
            throw new PromptTuneException("PEFT adapter " + dir + ": no " + CONFIG);
        }
        if (!Files.isRegularFile(weights)) {
            throw new PromptTuneException("PEFT adapter " + dir + ": no " + WEIGHTS
                    + (Files.isRegularFile(dir.resolve("adapter_model.bin"))
                            ? " (only adapter_model.bin, a pickle; re-save it with safe_serialization=True)" : ""));
        }
        JsonObject json = JsonFiles.readObject(configFile);
        String peftType = text(json, "peft_type");
        if (!PEFT_TYPE.equals(peftType)) {
            throw new PromptTuneException(configFile + ": peft_type is " + quoted(peftType) + "; allowed: \""
                    + PEFT_TYPE + "\" (prompt tuning)");
        }
        String taskType = text(json, "task_type");
        if (taskType != null && !TASK_TYPE.equals(taskType)) {
            throw new PromptTuneException(configFile + ": task_type is " + quoted(taskType) + "; allowed: \""
                    + TASK_TYPE + "\" (T5 is an encoder-decoder)");
        }
        int p = positive(json, "num_virtual_tokens", configFile, null);
        int h = positive(json, "token_dim", configFile, null);
        try (SafetensorsFile f = SafetensorsFile.open(weights)) {
            TensorInfo info = f.tensors().get(TENSOR);
            if (info == null) {
                throw new PromptTuneException(weights + ": no '" + TENSOR + "' tensor; it has " + f.tensors().keySet());
            }
            long[] shape = info.shape();
            if (!info.floating()) {
                throw new PromptTuneException(weights + ": '" + TENSOR + "' is " + info.dtype() + " "
                        + Arrays.toString(shape) + "; allowed: a float tensor (F32, F16, BF16, F64)");
            }
            PromptFile.requireFitsArray(weights.toString(), info);
            // Counted as a long: rows / p beyond an int (a [2^31, 0] tensor holds no values) named shape [-2147483648, …].
            long rowsPerToken = shape.length == 2 && shape[0] % p == 0 ? shape[0] / p : -1;
            Integer inferred = rowsPerToken >= 0 && rowsPerToken <= Integer.MAX_VALUE ? (int) rowsPerToken : null;
            int nts = positive(json, "num_transformer_submodules", configFile, inferred);
            if (shape.length != 2 || shape[0] != (long) p * nts || shape[1] != h) {
                throw new PromptTuneException(weights + ": '" + TENSOR + "' has shape " + Arrays.toString(shape)
                        + "; " + CONFIG + " needs [num_virtual_tokens * num_transformer_submodules, token_dim] = ["
                        + (long) p * nts + ", " + h + "]");
            }
            Map<String, Object> parsed = GSON.fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
            Map<String, Object> config = new TreeMap<>(parsed);
            return new PeftAdapter(dir, p, h, nts, f.readFloats(TENSOR), config, recorded(f, p, h));
        }
    }

    /** The prompt metadata in the weights' header ({@link PromptFile#HEADER_KEY}), checked against [p, h]; else null. */
    private static PromptMetadata recorded(SafetensorsFile f, int p, int h) {
        String header = f.metadata().get(PromptFile.HEADER_KEY);
        if (header == null) {
            return null;
        }
        PromptMetadata m = PromptMetadata.fromJson(header, f.path() + " (header " + PromptFile.HEADER_KEY + ")");
        if ((m.length() != 0 && m.length() != p) || (m.width() != 0 && m.width() != h)) {
            throw new PromptTuneException(f.path() + ": its prompt metadata says shape [" + m.length() + ", " + m.width()
                    + "] but the adapter holds [" + p + ", " + h + "] (num_virtual_tokens, token_dim); allowed: the metadata "
                    + "its export wrote (edited by hand?)");
        }
        return m;
    }

    /**
     * Writes a PEFT prompt-tuning adapter ({@code PeftModel.from_pretrained(base, dir)} loads it): the safetensors
     * first, then adapter_config.json with PEFT's exact key set, each atomically. Init is recorded as RANDOM
     * (PEFT re-initialises nothing on load; TEXT would make it demand a tokenizer). The prompt's metadata goes into the
     * safetensors header beside {@code "format": "pt"} (PEFT reads no other key), so that reading the adapter checks it
     * against the model as a prompt file is checked.
     *
     * @param values row-major [p, h]
     * @param meta the prompt's metadata (its model's embedding fingerprint above all); null: none
     * @param baseModel base_model_name_or_path (a hub id or a path)
     * @param numAttentionHeads base model's num_heads
     * @param numLayers base model's num_layers
     */
    public static void exportTo(Path dir, float[] values, int p, int h, String baseModel, int numAttentionHeads,
                                int numLayers, PromptMetadata meta) {
        if (p < 1 || h < 1 || values.length != (long) p * h) {
            throw new PromptTuneException("PEFT export to " + dir + ": " + values.length + " values for [" + p + ", "
                    + h + "]; allowed: p >= 1, h >= 1, p*h values");
        }
        Map<String, Object> c = new TreeMap<>();
        c.put("auto_mapping", null);
        c.put("base_model_name_or_path", baseModel);
        c.put("inference_mode", true);
        c.put("modules_to_save", null);
        c.put("num_attention_heads", numAttentionHeads);
        c.put("num_layers", numLayers);
        c.put("num_transformer_submodules", 1);
        c.put("num_virtual_tokens", p);
        c.put("peft_type", PEFT_TYPE);
        c.put("peft_version", PEFT_FORMAT_VERSION);
        c.put("prompt_tuning_init", "RANDOM");
        c.put("prompt_tuning_init_text", null);
        c.put("revision", null);
        c.put("task_type", TASK_TYPE);
        c.put("token_dim", h);
        c.put("tokenizer_kwargs", null);
        c.put("tokenizer_name_or_path", null);
        SafetensorsWriter weights = new SafetensorsWriter().add(TENSOR, values, new long[] {p, h}, "F32").metadata("format", "pt");
        if (meta != null) {
            weights.metadata(PromptFile.HEADER_KEY, meta.toBuilder().shape(p, h).build().toJson());
        }
        weights.write(dir.resolve(WEIGHTS));
        AtomicText.write(dir.resolve(CONFIG), GSON.toJson(c));
    }

    /** {@link #exportTo(Path, float[], int, int, String, int, int, PromptMetadata)} without prompt metadata. */
    public static void exportTo(Path dir, float[] values, int p, int h, String baseModel, int numAttentionHeads,
                                int numLayers) {
        exportTo(dir, values, p, h, baseModel, numAttentionHeads, numLayers, null);
    }

    /** {@link #exportTo(Path, float[], int, int, String, int, int, PromptMetadata)}: width, heads, layers from {@code config}. */
    public static void exportTo(Path dir, float[] values, int p, T5Config config, String baseModel, PromptMetadata meta) {
        exportTo(dir, values, p, config.dModel, baseModel, config.numHeads, config.numLayers, meta);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static String quoted(String v) {
        return v == null ? "missing" : "\"" + v + "\"";
    }

    private static int positive(JsonObject o, String key, Path file, Integer fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (fallback != null) {
                return fallback;
            }
            throw new PromptTuneException(file + ": " + key + " is missing; allowed: an integer >= 1");
        }
        // A JSON number only: Gson would also read the string "5" as 5, and PEFT itself would not.
        Long v = JsonFiles.wholeNumber(e);
        if (v != null && v >= 1 && v <= Integer.MAX_VALUE) {
            return v.intValue();
        }
        throw new PromptTuneException(file + ": " + key + " is " + JsonFiles.describe(e) + "; allowed: an integer >= 1");
    }
}
