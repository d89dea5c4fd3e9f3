package dev.prompttune.kernel.jshell;

/** Text questions about a cell's source that the evaluator asks: magic calls, statement ends, lines, indentation. */
final class CellText {

    private CellText() {}

    static boolean isMagicCall(String src) {
        String s = src.strip();
        return s.startsWith(JavaEvaluator.LINE_MAGIC_CALL) || s.startsWith(JavaEvaluator.CELL_MAGIC_CALL);
    }

    /** True when the snippet's code ends with ';' (ignoring a trailing // comment on its last line). */
    static boolean endsWithSemicolon(String src) {
        String s = src.stripTrailing();
        int nl = s.lastIndexOf('\n');
        String last = s.substring(nl + 1);
        int comment = last.indexOf("//");
        if (comment >= 0 && last.lastIndexOf('"', comment) < 0) {
            s = (s.substring(0, nl + 1) + last.substring(0, comment)).stripTrailing();
        }
        return s.endsWith(";");
    }

    static int lineIndex(String code, int offset) {
        int n = 0;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    static String indentFor(String code) {
        String trimmed = code.stripTrailing();
        String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        return trimmed.endsWith("{") || trimmed.endsWith("(") ? indent + "    " : indent;
    }

    static String identifierEndingAt(String code, int end) {
        int s = end;
        while (s > 0 && Character.isJavaIdentifierPart(code.charAt(s - 1))) {
            s--;
        }
        return code.substring(s, end);
    }
}
