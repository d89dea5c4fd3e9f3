package dev.prompttune.core.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the tokenizer of a model directory. */
public final class T5Tokenizers {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String SPIECE_MODEL = "spiece.model";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

    private T5Tokenizers() {}

    /**
     * The tokenizer of a Hugging Face T5 model directory: {@code tokenizer.json} through
     * {@link HfJsonT5Tokenizer} if present (as {@code AutoTokenizer} prefers the fast tokenizer), otherwise
     * {@code spiece.model} through {@link SentencePieceT5Tokenizer}, with the number of sentinels from
     * {@code tokenizer_config.json}'s {@code extra_ids} or the {@code <extra_id_N>} entries of
     * {@code additional_special_tokens} (in {@code tokenizer_config.json} or {@code special_tokens_map.json}),
     * 100 if neither says.
     *
     * <p>{@code modelDir} may also name a {@code tokenizer.json} or sentencepiece {@code .model} file.
     *
     * @throws PromptTuneException one line naming the directory or file: nothing to load, or a file that is not a
     *                             valid tokenizer
     */
    public static T5Tokenizer load(Path modelDir) {
        if (Files.isRegularFile(modelDir)) {
            String name = modelDir.getFileName().toString();
            if (name.endsWith(".json")) {
                return HfJsonT5Tokenizer.load(modelDir);
            }
            Path dir = modelDir.toAbsolutePath().getParent();
            return SentencePieceT5Tokenizer.load(modelDir, extraIds(dir));
        }
        if (!Files.isDirectory(modelDir)) {
            throw new PromptTuneException("no tokenizer in " + modelDir + ": the directory does not exist");
        }
        Path json = modelDir.resolve(TOKENIZER_JSON);
        if (Files.isRegularFile(json)) {
            return HfJsonT5Tokenizer.load(json);
        }
        Path spiece = modelDir.resolve(SPIECE_MODEL);
        if (Files.isRegularFile(spiece)) {
            return SentencePieceT5Tokenizer.load(spiece, extraIds(modelDir));
        }
        throw new PromptTuneException("no tokenizer in " + modelDir + ": expected " + TOKENIZER_JSON + " or "
                + SPIECE_MODEL);
    }

    /**
     * The sentinel count a slow {@code T5Tokenizer} would use in {@code dir}: {@code extra_ids} from
     * {@code tokenizer_config.json}, else the number of {@code <extra_id_N>} in {@code additional_special_tokens},
     * else 100. Where both are given and differ, the files contradict each other (Hugging Face refuses them too).
     */
    static int extraIds(Path dir) {
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        JsonObject config = readObject(configFile);
        Integer extraIds = null;
        if (config != null && config.has("extra_ids") && !config.get("extra_ids").isJsonNull()) {
            try {
                extraIds = config.get("extra_ids").getAsInt();
            } catch (RuntimeException e) {
                throw new PromptTuneException(configFile + ": extra_ids must be a non-negative integer, got "
                        + config.get("extra_ids"));
            }
            if (extraIds < 0) {
                throw new PromptTuneException(configFile + ": extra_ids must be a non-negative integer, got "
                        + extraIds);
            }
        }
        Path listedIn = configFile;
        Integer listed = countSentinels(config);
        if (listed == null) {
            listedIn = dir.resolve(SPECIAL_TOKENS_MAP);
            listed = countSentinels(readObject(listedIn));
        }
        if (extraIds != null && listed != null && extraIds > 0 && !extraIds.equals(listed)) {
            throw new PromptTuneException(configFile + " says extra_ids " + extraIds + " but " + listedIn.getFileName()
                    + " lists " + listed + " <extra_id_N> additional_special_tokens; they must agree");
        }
        if (extraIds != null) {
            return extraIds;
        }
        return listed != null ? listed : TokenizerSupport.DEFAULT_EXTRA_IDS;
    }

    /** Number of {@code <extra_id_N>} in {@code additional_special_tokens}, or null where none are listed. */
    private static Integer countSentinels(JsonObject o) {
        if (o == null || !o.has("additional_special_tokens") || !o.get("additional_special_tokens").isJsonArray()) {
            return null;
        }
        int n = 0;
        for (JsonElement e : o.getAsJsonArray("additional_special_tokens")) {
            // Entries are strings, or AddedToken objects {"content": ...}.
            String text = e.isJsonPrimitive() ? e.getAsString()
                    : e.isJsonObject() && e.getAsJsonObject().has("content")
                            ? e.getAsJsonObject().get("content").getAsString() : "";
            if (TokenizerSupport.sentinelIndex(text) >= 0) {
                n++;
            }
        }
        return n == 0 ? null : n;
    }

    private static JsonObject readObject(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonElement root;
        try {
            root = TokenizerSupport.parseJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptTuneException(file + " is not valid JSON (" + TokenizerSupport.reason(e) + ")");
        } catch (IllegalArgumentException e) {
            throw new PromptTuneException(file + " is not valid JSON (" + e.getMessage() + ")");
        }
        if (!root.isJsonObject()) {
            throw new PromptTuneException(file + " is not valid: expected a JSON object at the top level");
        }
        return root.getAsJsonObject();
    }
}
