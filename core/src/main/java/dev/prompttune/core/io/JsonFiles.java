package dev.prompttune.core.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way prompttune reads a JSON file (run records, prompt metadata, PEFT configs, task.json, config.json,
 * safetensors headers). A file that is not JSON fails with one line naming the file, the line and column and what is
 * wrong ({@code runs/x/summary.json is not valid JSON (line 1, column 51: unterminated string)}), never with the
 * parser's class names or links; a key given twice in one object is refused rather than the last one silently winning.
 */
public final class JsonFiles {

    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

    /**
     * The deepest nesting of arrays and objects read. prompttune's own files nest 4 levels at most; a hostile header
     * nested thousands deep would otherwise overflow the stack of the recursive reader below.
     */
    public static final int MAX_DEPTH = 64;

    /** Gson's location suffix: "… at line 1 column 51 path $.name". */
    private static final Pattern LOCATION = Pattern.compile("^(.*?)\\s*at line (\\d+) column (\\d+) path (\\S*)", Pattern.DOTALL);

    private JsonFiles() {}

    /**
     * Parses JSON text with the syntax Gson's {@code JsonParser} accepts (it also takes {@code NaN} and
     * {@code Infinity}, which run records hold for undefined metrics).
     *
     * @param source names the text in messages (a file, or a file and the header key it came from)
     */
    public static JsonElement parse(String text, String source) {
        return parse(text, source, Strictness.LENIENT);
    }

    /** {@link #parse} accepting RFC 8259 JSON only (no comments, unquoted words, NaN). */
    public static JsonElement parseStrict(String text, String source) {
        return parse(text, source, Strictness.STRICT);
    }

    /** {@link #parse}, and the value must be a JSON object. */
    public static JsonObject parseObject(String text, String source) {
        return object(parse(text, source), source);
    }

    /** Reads a UTF-8 JSON file that must hold one JSON object. */
    public static JsonObject readObject(Path file) {
        return parseObject(read(file), file.toString());
    }

    /** A file's text, with a one-line error naming the file when it cannot be read. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PromptTuneException(file + " is not valid JSON (it is not UTF-8 text)", e);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read " + file + ": " + PathProblems.describe(file, e), e);
        }
    }

    /** {@code value} itself when it is an object, else an error naming {@code source} and what it holds instead. */
    public static JsonObject object(JsonElement value, String source) {
        if (!value.isJsonObject()) {
            throw new PromptTuneException(source + " holds " + kind(value) + ", not an object; allowed: a JSON object {...}");
        }
        return value.getAsJsonObject();
    }

    /** A JSON value as its JSON text for messages, cut at 60 characters: {@code "abc"}, {@code [1,2]}, {@code null}. */
    public static String describe(JsonElement value) {
        String text = value == null ? "null" : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /**
     * The value of a JSON number that is a whole number a long holds (written {@code 20} or {@code 20.0}); null for
     * anything else (a fraction, 1e30, a string, a boolean).
     */
    public static Long wholeNumber(JsonElement value) {
        if (!(value instanceof JsonPrimitive p) || !p.isNumber()) {
            return null;
        }
        try {
            return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** What kind of JSON value {@code value} is, in words: "an array", "a string", … */
    private static String kind(JsonElement value) {
        if (value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonArray()) {
            return "an array " + describe(value);
        }
        if (value.getAsJsonPrimitive().isString()) {
            return "a string " + describe(value);
        }
        if (value.getAsJsonPrimitive().isBoolean()) {
            return "a boolean " + describe(value);
        }
        return "a number " + describe(value);
    }

    private static JsonElement parse(String text, String source, Strictness strictness) {
        if (text.isBlank()) {
            throw new PromptTuneException(source + " is not valid JSON (it is empty); allowed: a JSON value");
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(strictness);
        try {
            JsonElement root = read(reader, source, 1);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw invalid(source, location(reader.toString()), "more text after the JSON value");
            }
            return root;
        } catch (IOException | IllegalStateException | NumberFormatException | com.google.gson.JsonParseException e) {
            String message = String.valueOf(e.getMessage());
            int see = message.indexOf("\nSee ");
            if (see >= 0) {
                message = message.substring(0, see); // Gson's troubleshooting link
            }
            Matcher m = LOCATION.matcher(message);
            boolean located = m.find();
            throw invalid(source, located ? "line " + m.group(2) + ", column " + m.group(3) : null,
                    plain(located ? m.group(1) : message));
        }
    }

    /** Gson's tree, except that a key given twice in one object, or nesting deeper than {@link #MAX_DEPTH}, is refused. */
    private static JsonElement read(JsonReader reader, String source, int depth) throws IOException {
        JsonToken next = reader.peek();
        if (depth > MAX_DEPTH && (next == JsonToken.BEGIN_OBJECT || next == JsonToken.BEGIN_ARRAY)) {
            String where = location(reader.toString());
            throw new PromptTuneException(source + " is not valid JSON (" + (where == null ? "" : where + ": ")
                    + "nested too deeply); allowed: at most " + MAX_DEPTH + " levels of arrays and objects");
        }
        switch (next) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (o.has(name)) {
                        throw new DuplicateKey(source, name, reader.getPath(), location(reader.toString()));
                    }
                    o.add(name, read(reader, source, depth + 1));
                }
                reader.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    a.add(read(reader, source, depth + 1));
                }
                reader.endArray();
                return a;
            }
            default -> {
                return ELEMENT.read(reader); // one string, number, boolean or null, as Gson reads it
            }
        }
    }

    /** "line 1, column 5" from Gson's "JsonReader at line 1 column 5 path $.a". */
    private static String location(String readerText) {
        Matcher m = LOCATION.matcher(readerText);
        return m.find() ? "line " + m.group(2) + ", column " + m.group(3) : null;
    }

    private static PromptTuneException invalid(String source, String where, String why) {
        return new PromptTuneException(source + " is not valid JSON (" + (where == null ? "" : where + ": ") + why + ")");
    }

    /** Gson's reason in plain words. */
    private static String plain(String why) {
        String w = why.strip().replaceFirst("^[\\w.$]+(Exception|Error):\\s*", "");
        if (w.startsWith("End of input")) {
            return "the text ends mid-value";
        }
        if (w.startsWith("Use JsonReader.setStrictness")) {
            return "text that is not JSON syntax";
        }
        if (w.equals("Expected name")) {
            return "expected a field name in double quotes";
        }
        if (w.equals("Expected value")) {
            return "expected a value";
        }
        if (w.startsWith("Nesting limit")) {
            return "nested too deeply (" + w.toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (w.isEmpty()) {
            return "unreadable";
        }
        return Character.toLowerCase(w.charAt(0)) + w.substring(1);
    }

    /** A key given twice in one JSON object; {@link #path()} is Gson's path of the key, {@code $.name} at top level. */
    public static final class DuplicateKey extends PromptTuneException {

        private final String key;
        private final String path;

        DuplicateKey(String source, String key, String path, String where) {
            super(source + ": key \"" + key + "\" appears twice in the same object" + (where == null ? "" : " (" + where + ")")
                    + "; allowed: each key once");
            this.key = key;
            this.path = path;
        }

        public String key() {
            return key;
        }

        /** True when the key is one of the top-level object's. */
        public boolean topLevel() {
            return path.equals("$." + key) || path.equals("$['" + key + "']");
        }
    }
}
