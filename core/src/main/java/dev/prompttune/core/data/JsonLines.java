package dev.prompttune.core.data;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON Lines: one flat JSON object per line (see {@link ExampleReader}). */
final class JsonLines {

    private JsonLines() {}

    static List<Example> parse(String text, String source) {
        List<Example> examples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (lineNo % DataInterrupts.ROWS == 0) {
                DataInterrupts.check("reading " + source);
            }
            if (line.isBlank()) {
                continue;
            }
            examples.add(parseLine(line, source, lineNo));
        }
        return examples;
    }

    private static Example parseLine(String line, String source, int lineNo) {
        String where = source + ":" + lineNo;
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.STRICT);
        Map<String, String> fields = new LinkedHashMap<>();
        Set<String> nulls = new LinkedHashSet<>();
        try {
            JsonToken first = reader.peek();
            if (first != JsonToken.BEGIN_OBJECT) {
                String hint = first == JsonToken.BEGIN_ARRAY
                        ? " (a JSON array file is not JSON Lines; write one object per line)" : "";
                throw new PromptTuneException(where + ": expected a JSON object {...}, found "
                        + describe(first) + hint);
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                JsonToken token = reader.peek();
                String value = switch (token) {
                    case STRING, NUMBER -> reader.nextString();
                    case BOOLEAN -> Boolean.toString(reader.nextBoolean());
                    case NULL -> {
                        reader.nextNull();
                        yield null;
                    }
                    default -> throw new PromptTuneException(where + ": field '" + name + "' is " + describe(token)
                            + "; only strings, numbers, booleans and null are allowed (flatten nested values)");
                };
                if (fields.containsKey(name) || nulls.contains(name)) {
                    throw new PromptTuneException(where + ": field '" + name + "' appears twice");
                }
                if (value != null) {
                    fields.put(name, value);
                } else {
                    nulls.add(name);
                }
            }
            reader.endObject();
            if (!atEnd(reader)) {
                throw new PromptTuneException(where + ": more than one JSON value on the line; JSON Lines holds"
                        + " exactly one object per line");
            }
        } catch (IOException | IllegalStateException e) {
            throw new PromptTuneException(where + ": not valid JSON (" + reason(e) + ")");
        }
        return new Example(fields, source, lineNo, nulls);
    }

    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_OBJECT -> "a nested object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> token.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Gson's message, made one line and relative to the line ("column 12" rather than "line 1 column 12"). */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int see = m.indexOf("\nSee ");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON")
                .replace(" at line 1 column ", " at column ")
                .replaceAll(" path \\$$", "");
        return m.replaceAll("\\s+", " ").strip();
    }
}
