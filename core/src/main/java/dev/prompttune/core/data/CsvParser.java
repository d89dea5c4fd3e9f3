package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV with a header row (see {@link ExampleReader}). Lenient where the RFC is silent and it harms no one:
 * a {@code "} inside an unquoted field is kept as text, LF and CRLF line ends are both accepted, and blank lines
 * (outside quotes) are skipped. A record's line is the line where it starts, and so is a broken field's: a quote
 * left open runs on until some later quote, so the line where parsing fails is not where the mistake is.
 */
final class CsvParser {

    private final String text;
    private final String source;
    private int pos;
    private int line = 1;

    private CsvParser(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static List<Example> parse(String text, String source) {
        return new CsvParser(text, source).examples();
    }

    private List<Example> examples() {
        List<Example> examples = new ArrayList<>();
        String[] header = null;
        int records = 0;
        while (pos < text.length()) {
            if (++records % DataInterrupts.ROWS == 0) {
                DataInterrupts.check("reading " + source);
            }
            int start = line;
            List<String> cells = new ArrayList<>();
            boolean quoted = record(cells);
            if (!quoted && cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            String[] row = cells.toArray(new String[0]);
            if (header == null) {
                header = ExampleReader.Headers.check(row, source, start, ',');
            } else {
                examples.add(ExampleReader.Headers.example(header, row, source, start, "comma-separated", ""));
            }
        }
        return examples;
    }

    /** Reads one record up to and including its line end; returns whether any field was quoted. */
    private boolean record(List<String> cells) {
        boolean anyQuoted = false;
        while (true) {
            StringBuilder cell = new StringBuilder();
            boolean quoted = pos < text.length() && text.charAt(pos) == '"';
            int fieldLine = line;
            if (quoted) {
                anyQuoted = true;
                quotedField(cell);
            } else {
                while (pos < text.length() && !isEnd(text.charAt(pos))) {
                    cell.append(text.charAt(pos++));
                }
            }
            cells.add(cell.toString());
            if (pos >= text.length()) {
                return anyQuoted;
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
                continue;
            }
            if (quoted && !isLineEnd(c)) {
                throw afterClosingQuote(c, cells.size(), fieldLine);
            }
            skipLineEnd();
            return anyQuoted;
        }
    }

    /**
     * A quoted field whose closing quote is followed by text. When the field ran over several lines, the quote that
     * "closed" it most likely opened another field, and the real mistake is a quote never closed where it started.
     */
    private PromptTuneException afterClosingQuote(char c, int field, int fieldLine) {
        if (fieldLine == line) {
            return new PromptTuneException(source + ":" + line + ": unexpected '" + c + "' after a closing quote in field "
                    + field + "; inside a quoted field write a quote as \"\"");
        }
        return new PromptTuneException(source + ":" + fieldLine + ": the quoted field " + field + " that opens here is"
                + " never closed on this line; it runs on to line " + line + ", where a \" followed by '" + c
                + "' ends it; close the quote on line " + fieldLine + " (inside a quoted field write a quote as \"\")");
    }

    private void quotedField(StringBuilder cell) {
        int startLine = line;
        pos++; // opening quote
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                if (pos < text.length() && text.charAt(pos) == '"') {
                    cell.append('"');
                    pos++;
                } else {
                    return;
                }
            } else {
                if (c == '\n') {
                    line++;
                }
                cell.append(c);
            }
        }
        throw new PromptTuneException(source + ":" + startLine + ": a quoted field is never closed (the \" opened"
                + " here has no matching \" before the end of the file)");
    }

    private static boolean isEnd(char c) {
        return c == ',' || isLineEnd(c);
    }

    private static boolean isLineEnd(char c) {
        return c == '\n' || c == '\r';
    }

    private void skipLineEnd() {
        if (text.charAt(pos) == '\r') {
            pos++;
            if (pos < text.length() && text.charAt(pos) == '\n') {
                pos++;
            }
        } else {
            pos++;
        }
        line++;
    }
}
