package dev.prompttune.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groovy's type checker words a keyword given values of the wrong type in Java: {@code Cannot call
 * dev.prompttune.dsl.SweepSpec#length(int, int[]) with arguments [int, java.lang.String, int]}. This says the same in
 * the script's terms: {@code keyword 'length' cannot take (int, String, int); allowed: (int, int...)}.
 */
final class CallMismatch {

    private static final Pattern CANNOT_CALL = Pattern.compile(
            "Cannot call dev\\.prompttune\\.dsl\\.\\w+#(\\w+)\\((.*?)\\) with arguments \\[(.*)]");
    private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z]\\w*)");

    private CallMismatch() {}

    /** The message in the script's terms, or {@code message} itself when it is not a keyword's type mismatch. */
    static String reword(String message) {
        Matcher m = CANNOT_CALL.matcher(message);
        if (!m.lookingAt()) {
            return message;
        }
        List<String> allowed = split(simple(m.group(2)));
        if (!allowed.isEmpty() && allowed.get(allowed.size() - 1).endsWith("[]")) {
            String last = allowed.remove(allowed.size() - 1);
            allowed.add(last.substring(0, last.length() - 2) + "..."); // varargs: any number more
        }
        return "keyword '" + m.group(1) + "' cannot take (" + String.join(", ", split(simple(m.group(3)))) + "); allowed: ("
                + String.join(", ", allowed) + ")";
    }

    /** Type names without their packages: java.util.Map<java.lang.String, X> → Map<String, X>. */
    private static String simple(String types) {
        return PACKAGE.matcher(types).replaceAll("$1");
    }

    /** A parameter list split at its top-level commas (not those inside generics). */
    private static List<String> split(String types) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < types.length(); i++) {
            char c = types.charAt(i);
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(types.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!types.isBlank()) {
            out.add(types.substring(start).strip());
        }
        return out;
    }
}
