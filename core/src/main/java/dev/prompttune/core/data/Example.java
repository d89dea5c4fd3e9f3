package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One example: named string fields in file order, and where it came from (for error messages).
 *
 * @param fields the fields, in the order the file gives them (unmodifiable)
 * @param source the file (as given) or another description of the origin, e.g. {@code "inline"}
 * @param line   the 1-based line where the example starts, or 0 when there is none
 */
public record Example(Map<String, String> fields, String source, int line) {

    public Example {
        Objects.requireNonNull(source, "source");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "field name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of field " + e.getKey()));
        }
        fields = Collections.unmodifiableMap(copy);
    }

    /** An example without a file, e.g. built in code; its location is {@code source} alone. */
    public static Example of(String source, Map<String, String> fields) {
        return new Example(fields, source, 0);
    }

    /** {@code file:line}, or the source alone when there is no line. */
    public String location() {
        return line > 0 ? source + ":" + line : source;
    }

    /** Whether the example has {@code field}. */
    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The value of {@code field}, or null when absent. */
    public String get(String field) {
        return fields.get(field);
    }

    /**
     * The value of {@code field}.
     *
     * @param role what the field is for, for the message (e.g. {@code "label field"})
     * @throws PromptTuneException naming the location, the field and the fields the example has
     */
    public String require(String field, String role) {
        String value = fields.get(field);
        if (value == null) {
            throw new PromptTuneException(location() + " has no " + role + " '" + field + "'; its fields are: "
                    + fieldNames());
        }
        return value;
    }

    /** The field names, comma separated (for messages); {@code (none)} when there are none. */
    public String fieldNames() {
        return fields.isEmpty() ? "(none)" : String.join(", ", fields.keySet());
    }
}
