package dev.prompttune.core.text;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks and names shared by the T5 tokenizers. */
final class TokenizerSupport {

    static final String PAD = "<pad>";
    static final String EOS = "</s>";
    static final String UNK = "<unk>";

    /** Hugging Face's T5Tokenizer default. */
    static final int DEFAULT_EXTRA_IDS = 100;

    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private static final Pattern SENTINEL = Pattern.compile("<extra_id_(\\d{1,9})>");

    private TokenizerSupport() {}

    static String sentinel(int n) {
        return "<extra_id_" + n + ">";
    }

    /** N for {@code <extra_id_N>}, or -1 if {@code token} is not a sentinel. */
    static int sentinelIndex(String token) {
        Matcher m = SENTINEL.matcher(token);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    static void checkSentinel(int n, int count) {
        if (n < 0 || n >= count) {
            throw new PromptTuneException(count == 0
                    ? "sentinel <extra_id_" + n + "> does not exist: this tokenizer has no <extra_id_N> sentinels"
                    : "sentinel <extra_id_" + n + "> does not exist: this tokenizer has " + count
                            + " sentinels, n must be in [0, " + (count - 1) + "]");
        }
    }

    static void checkId(long id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new PromptTuneException("token id " + id + " is out of range: the vocabulary has ids [0, "
                    + (vocabSize - 1) + "]");
        }
    }

    /** The first line of an exception's message (native libraries return multi-line ones), or its class. */
    static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** Python's {@code str.isspace} for one char (what Hugging Face's added-token stripping uses). */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /**
     * Parses JSON strictly (Gson's {@code JsonParser} is lenient: it takes a bare word for a string).
     *
     * @throws IllegalArgumentException with the parser's reason if {@code json} is not one JSON value
     */
    static JsonElement parseJson(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = JSON.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the JSON value at " + reader.getPath());
            }
            return root;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(reason(e), e);
        }
    }
}
