package dev.prompttune.dsl;

import java.util.List;

/**
 * Better lines for Groovy's "Unexpected input" parse errors, which name the line of the enclosing block's opening
 * brace rather than the line of the stray or missing bracket: the first line at or after it whose round and
 * square brackets do not balance (strings and comments ignored), or, when every line balances but the braces do
 * not, the opening line itself.
 */
final class Brackets {

    private Brackets() {}

    static ScriptError hint(String code, int reportedLine, String name, Throwable cause) {
        List<String> lines = code.lines().toList();
        int braces = 0;
        for (int i = 0; i < lines.size(); i++) {
            String text = strip(lines.get(i));
            braces += count(text, '{') - count(text, '}');
            if (i + 1 >= reportedLine) {
                int round = count(text, '(') - count(text, ')');
                int square = count(text, '[') - count(text, ']');
                if (round != 0 || square != 0) {
                    String which = round > 0 ? "'(' is never closed" : round < 0 ? "')' has no matching '('"
                            : square > 0 ? "'[' is never closed" : "']' has no matching '['";
                    return new ScriptError(name, i + 1, "syntax error: " + which + " on this line", cause);
                }
            }
        }
        if (braces > 0) {
            return new ScriptError(name, reportedLine, "syntax error: the '{' on this line is never closed (a '}' is missing)", cause);
        }
        // `steps 2 +` before the block's '}': Groovy reports the block's '{', where the expression it could not end began.
        for (int i = Math.max(reportedLine - 1, 0); i < lines.size(); i++) {
            String text = strip(lines.get(i)).strip();
            String next = nextNonBlank(lines, i + 1);
            for (String operator : DANGLING) {
                if (text.endsWith(operator) && text.length() > operator.length()
                        && (next == null || next.startsWith("}") || next.startsWith(")") || next.startsWith("]"))) {
                    return new ScriptError(name, i + 1, "syntax error: this line ends with '" + operator
                            + "' and no value follows it", cause);
                }
            }
        }
        return null;
    }

    /** Operators after which an expression must go on. */
    private static final List<String> DANGLING = List.of("&&", "||", "+", "-", "*", "/", "%", "=", ",", "?", ":");

    /** The first line from {@code from} that holds code (stripped), or null at the end. */
    private static String nextNonBlank(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            String text = strip(lines.get(i)).strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    /** The line without string literals and a trailing // comment. */
    private static String strip(String line) {
        StringBuilder b = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                break;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += s.charAt(i) == c ? 1 : 0;
        }
        return n;
    }
}
