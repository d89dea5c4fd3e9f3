package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.jshell.JavaEvaluator;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.ParsedCellMagic;
import org.dflib.jjava.jupyter.kernel.magic.ParsedLineMagic;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns magics into Java calls that keep the magic's return value (1.0-a6's transpiler appends {@code {};},
 * which drops it): {@code %name a b} becomes {@code dev.prompttune.kernel.Notebook.runLineMagic("name",
 * java.util.List.of("a", "b"));} and a {@code %%name} cell one {@code runCellMagic(...)} call. The evaluator
 * shows a magic call's value even though the generated statement ends with ';'. Arguments and body are Java
 * string literals (long bodies split into chunks below the class-file constant limit).
 */
public class ValueMagicTranspiler extends MagicTranspiler {

    /** Line magics only at the start of a line (so {@code a%b} stays Java); cell magics at the top of a cell. */
    public static final String LINE_MAGIC_START = "^[ \\t]*%";
    public static final String CELL_MAGIC_START = "%%";

    /** ≤ 16K chars × 3 bytes (UTF-8) stays below the 65535-byte limit of one string constant. */
    private static final int MAX_LITERAL_CHARS = 16_000;

    public static MagicParser newParser() {
        return new MagicParser(LINE_MAGIC_START, CELL_MAGIC_START, new ValueMagicTranspiler());
    }

    @Override
    public String transpileCell(ParsedCellMagic magic) {
        String unclosed = unclosedQuote(magic.rawArgsLine, magic.magicCall.name, "%%");
        if (unclosed != null) {
            return unclosed;
        }
        String body = magic.magicCall.body;
        if (body.isBlank()) {
            body = "";
        }
        return JavaEvaluator.CELL_MAGIC_CALL + literal(magic.magicCall.name) + ", " + list(magic.magicCall.args)
                + ", " + literal(body) + ");";
    }

    @Override
    public String transpileLine(ParsedLineMagic magic) {
        String unclosed = unclosedQuote(magic.raw, magic.magicCall.name, "%");
        if (unclosed != null) {
            return unclosed;
        }
        return JavaEvaluator.LINE_MAGIC_CALL + literal(magic.magicCall.name) + ", " + list(magic.magicCall.args) + ");";
    }

    /**
     * A call that fails with one line when the magic's arguments leave a double quote open, else null. JJava's
     * splitting takes the rest of the line as one quoted argument then, and {@code %predict a "unclosed} predicted
     * the text {@code unclosed} as if it were closed. The check follows that splitting: {@code \"} is a quote inside
     * an argument. The error comes when the cell runs (not here, while the cell is translated), as every magic's does.
     */
    static String unclosedQuote(String magicText, String name, String prefix) {
        String written = magicText.strip();
        String args = written.substring(Math.min(written.length(), prefix.length() + name.length())).strip();
        boolean quoted = false;
        boolean escaped = false;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\') {
                escaped = !escaped;
            } else if (c == '"') {
                if (!escaped) {
                    quoted = !quoted;
                }
                escaped = false;
            }
        }
        if (!quoted) {
            return null;
        }
        String message = "unclosed quote in " + prefix + name + " arguments: " + args + "; allowed: double quotes in "
                + "pairs around a value with spaces (\"two words\"), \\\" for a quote inside one";
        return JavaEvaluator.NOTEBOOK_CLASS + ".refuseMagic(" + literal(message) + ");";
    }

    private static String list(List<String> args) {
        return "java.util.List.of(" + args.stream().map(ValueMagicTranspiler::literal).collect(Collectors.joining(", ")) + ")";
    }

    /** A Java expression whose value is {@code s}. */
    static String literal(String s) {
        if (s.length() <= MAX_LITERAL_CHARS) {
            return quote(s);
        }
        StringBuilder b = new StringBuilder("new StringBuilder()");
        int i = 0;
        while (i < s.length()) {
            int end = Math.min(s.length(), i + MAX_LITERAL_CHARS);
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            b.append(".append(").append(quote(s.substring(i, end))).append(')');
            i = end;
        }
        return b.append(".toString()").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\%03o", (int) c)); // octal: no unicode-escape preprocessing
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
