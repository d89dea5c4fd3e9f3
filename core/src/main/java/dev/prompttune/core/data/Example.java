package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One example: named string fields in file order, and where it came from (for error messages).
 *
 * @param fields the fields, in the order the file gives them (unmodifiable)
 * @param source the file (as given) or another description of the origin, e.g. {@code "inline"}
 * @param line   the 1-based line where the example starts, or 0 when there is none
 * @param nulls  the fields the file gives as JSON {@code null}: absent for every use (an unlabelled example may have
 *               {@code "label": null}), named in messages so that "has no field 'text'" does not puzzle a user
 *               whose line has {@code "text": null}
 */
public record Example(Map<String, String> fields, String source, int line, Set<String> nulls) {

    public Example {
        Objects.requireNonNull(source, "source");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "field name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of field " + e.getKey()));
        }
        fields = Collections.unmodifiableMap(copy);
        nulls = Collections.unmodifiableSet(new LinkedHashSet<>(nulls));
    }

    /** An example without null fields. */
    public Example(Map<String, String> fields, String source, int line) {
        this(fields, source, line, Set.of());
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
        if (value == null && nulls.contains(field)) {
            throw new PromptTuneException(location() + ": " + role + " '" + field + "' is null; it needs a string"
                    + " value (its fields are: " + fieldNames() + ")");
        }
        if (value == null) {
            throw new PromptTuneException(location() + " has no " + role + " '" + field + "'; its fields are: "
                    + fieldNames());
        }
        return value;
    }

    /**
     * The field names, comma separated (for messages), those given as null marked {@code (null)}; {@code (none)}
     * when there are none.
     */
    public String fieldNames() {
        List<String> names = new ArrayList<>(fields.keySet());
        nulls.forEach(n -> names.add(n + " (null)"));
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}
