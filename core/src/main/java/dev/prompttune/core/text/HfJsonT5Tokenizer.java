package dev.prompttune.core.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A T5 tokenizer over a Hugging Face {@code tokenizer.json} through DJL's binding of the Rust {@code tokenizers}
 * library, behaving like {@code T5TokenizerFast}.
 *
 * <p>The native tokenizer runs with special tokens off, truncation off and padding off (DJL's defaults would
 * truncate to 512 tokens silently); eos is appended here, so a {@code tokenizer.json} with or without T5's
 * {@code "$A </s>"} post-processor gives one eos. Special-token texts in the input are matched by the library's
 * added tokens, as in Python. The vocabulary ({@link #idToToken}, {@link #tokenToId}, sentinels) is read from the
 * same JSON, because DJL's binding does not expose it.
 */
public final class HfJsonT5Tokenizer implements T5Tokenizer {

    private final HuggingFaceTokenizer hf;
    /** id → vocabulary entry or added token; null where an id has neither. */
    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final int padId;
    private final int eosId;
    private final int unkId;
    private final int[] sentinelIds;

    private HfJsonT5Tokenizer(HuggingFaceTokenizer hf, String[] tokens, Map<String, Integer> ids, int padId,
                              int eosId, int unkId, int[] sentinelIds) {
        this.hf = hf;
        this.tokens = tokens;
        this.ids = ids;
        this.padId = padId;
        this.eosId = eosId;
        this.unkId = unkId;
        this.sentinelIds = sentinelIds;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @throws PromptTuneException naming the file if it is missing, is not JSON, or the tokenizers library rejects it
     */
    public static HfJsonT5Tokenizer load(Path tokenizerJson) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tokenizerJson);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read tokenizer " + tokenizerJson + ": " + PathProblems.describe(tokenizerJson, e), e);
        }
        String json = new String(bytes, StandardCharsets.UTF_8);

        // The vocabulary first: it also rejects non-JSON before the native library sees it.
        NavigableMap<Integer, String> byId = readVocabulary(tokenizerJson, json);
        int size = byId.isEmpty() ? 0 : byId.lastKey() + 1;
        if (size > 2L * byId.size() + 1024) { // ids index an array: refuse a sparse id space before allocating it
            throw notValid(tokenizerJson, "token id " + byId.lastKey() + " in a vocabulary of " + byId.size()
                    + " entries");
        }
        String[] tokens = new String[size];
        Map<String, Integer> ids = new HashMap<>(size * 2);
        Map<Integer, Integer> sentinels = new TreeMap<>();
        for (Map.Entry<Integer, String> e : byId.entrySet()) {
            tokens[e.getKey()] = e.getValue();
            ids.putIfAbsent(e.getValue(), e.getKey());
            int n = TokenizerSupport.sentinelIndex(e.getValue());
            if (n >= 0) {
                sentinels.put(n, e.getKey());
            }
        }
        int[] sentinelIds = new int[sentinels.size()];
        for (int n = 0; n < sentinelIds.length; n++) {
            Integer id = sentinels.get(n);
            if (id == null) {
                throw notValid(tokenizerJson, "it has " + sentinelIds.length + " <extra_id_N> tokens but no "
                        + TokenizerSupport.sentinel(n));
            }
            sentinelIds[n] = id;
        }
        int pad = require(tokenizerJson, ids, TokenizerSupport.PAD);
        int eos = require(tokenizerJson, ids, TokenizerSupport.EOS);
        int unk = require(tokenizerJson, ids, TokenizerSupport.UNK);

        DjlNatives.preferBundledTokenizers();
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw notValid(tokenizerJson, "tokenizers: " + TokenizerSupport.reason(e));
        }
        return new HfJsonT5Tokenizer(hf, tokens, Map.copyOf(ids), pad, eos, unk, sentinelIds);
    }

    /** id → text of {@code model.vocab} (Unigram's [[piece, score], ...] or a {piece: id} map) and {@code added_tokens}. */
    private static NavigableMap<Integer, String> readVocabulary(Path file, String json) {
        JsonElement root;
        try {
            root = TokenizerSupport.parseJson(json);
        } catch (IllegalArgumentException e) {
            throw notValid(file, "not JSON: " + e.getMessage());
        }
        try {
            if (!root.isJsonObject() || !root.getAsJsonObject().has("model")
                    || !root.getAsJsonObject().get("model").isJsonObject()) {
                throw new IllegalStateException("no \"model\" object");
            }
            JsonObject model = root.getAsJsonObject().getAsJsonObject("model");
            JsonElement vocab = model.get("vocab");
            NavigableMap<Integer, String> byId = new TreeMap<>();
            if (vocab != null && vocab.isJsonArray()) {
                JsonArray entries = vocab.getAsJsonArray();
                for (int i = 0; i < entries.size(); i++) {
                    byId.put(i, entries.get(i).getAsJsonArray().get(0).getAsString());
                }
            } else if (vocab != null && vocab.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                    byId.put(e.getValue().getAsInt(), e.getKey());
                }
            } else {
                throw new IllegalStateException("no \"model.vocab\"");
            }
            JsonElement added = root.getAsJsonObject().get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement t : added.getAsJsonArray()) {
                    JsonObject o = t.getAsJsonObject();
                    byId.put(o.get("id").getAsInt(), o.get("content").getAsString());
                }
            }
            if (byId.keySet().stream().anyMatch(id -> id < 0)) {
                throw new IllegalStateException("negative token id");
            }
            return byId;
        } catch (IllegalStateException | UnsupportedOperationException | NullPointerException
                 | IndexOutOfBoundsException | NumberFormatException e) {
            throw notValid(file, TokenizerSupport.reason(e));
        }
    }

    private static int require(Path file, Map<String, Integer> ids, String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new PromptTuneException(file + " has no " + token
                    + " token: a T5 tokenizer needs <pad>, </s> and <unk> in its vocabulary");
        }
        return id;
    }

    private static PromptTuneException notValid(Path file, String reason) {
        return new PromptTuneException(file + " is not a valid tokenizer.json (" + reason + ")");
    }

    @Override
    public long[] encode(String text, boolean addEos) {
        long[] ids = hf.encode(text, false, false).getIds();
        if (!addEos) {
            return ids;
        }
        long[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eosId;
        return out;
    }

    @Override
    public String decode(long[] ids, boolean skipSpecial) {
        for (long id : ids) {
            TokenizerSupport.checkId(id, tokens.length);
        }
        return hf.decode(ids, skipSpecial);
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public long padId() {
        return padId;
    }

    @Override
    public long eosId() {
        return eosId;
    }

    @Override
    public long unkId() {
        return unkId;
    }

    @Override
    public long sentinelId(int n) {
        TokenizerSupport.checkSentinel(n, sentinelIds.length);
        return sentinelIds[n];
    }

    @Override
    public int sentinelCount() {
        return sentinelIds.length;
    }

    @Override
    public String idToToken(long id) {
        TokenizerSupport.checkId(id, tokens.length);
        String token = tokens[(int) id];
        if (token == null) {
            throw new PromptTuneException("token id " + id + " has no vocabulary entry in this tokenizer.json");
        }
        return token;
    }

    @Override
    public long tokenToId(String token) {
        Integer id = ids.get(token);
        return id == null ? unkId : id;
    }

    @Override
    public void close() {
        hf.close();
    }
}
