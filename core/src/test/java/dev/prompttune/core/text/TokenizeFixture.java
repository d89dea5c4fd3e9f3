package dev.prompttune.core.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tokenizer/tokenize.json}: test strings and the ids Hugging Face's tokenizers gave them. */
final class TokenizeFixture {

    static final String FAST = "t5tokenizerfast_v4.57.6";
    static final String SLOW_LEGACY = "t5tokenizer_slow_v4.57.6_legacy_true";

    final Path dir = Fixtures.dir("tokenizer");
    final Path spiece = dir.resolve("spiece.model");
    final JsonObject root;

    TokenizeFixture() {
        try {
            root = JsonParser.parseString(Files.readString(dir.resolve("tokenize.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> strings() {
        List<String> out = new ArrayList<>();
        root.getAsJsonArray("strings").forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** {@code ids}: slow T5Tokenizer(extra_ids=0, legacy=True). */
    List<long[]> ids() {
        return idLists(root.getAsJsonArray("ids"));
    }

    /** {@code results.NAME.ids}. */
    List<long[]> results(String name) {
        JsonObject r = root.getAsJsonObject("results").getAsJsonObject(name);
        if (r == null) {
            throw new AssertionError("tokenize.json has no results." + name);
        }
        return idLists(r.getAsJsonArray("ids"));
    }

    /** string → ids of the {@code extra_ids_3} block (T5Tokenizer(extra_ids=3, legacy=True)). */
    Map<String, long[]> extraIds3() {
        JsonObject b = root.getAsJsonObject("extra_ids_3");
        JsonArray strings = b.getAsJsonArray("strings");
        List<long[]> ids = idLists(b.getAsJsonArray("ids"));
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < strings.size(); i++) {
            out.put(strings.get(i).getAsString(), ids.get(i));
        }
        return out;
    }

    /** {@code <extra_id_N>} → id with extra_ids=3. */
    Map<String, Long> extraIds3Sentinels() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("extra_ids_3").getAsJsonObject("sentinel_ids")
                .entrySet()) {
            out.put(e.getKey(), e.getValue().getAsLong());
        }
        return out;
    }

    int vocabSize() {
        return root.get("vocab_size").getAsInt();
    }

    private static List<long[]> idLists(JsonArray rows) {
        List<long[]> out = new ArrayList<>();
        for (JsonElement row : rows) {
            JsonArray a = row.getAsJsonArray();
            long[] ids = new long[a.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.get(i).getAsLong();
            }
            out.add(ids);
        }
        return out;
    }
}
