package dev.prompttune.core.data;

import dev.prompttune.core.JavaHeap;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.io.Utf8Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads examples from JSONL, CSV or TSV files (UTF-8, an optional byte-order mark, LF or CRLF line ends).
 *
 * <ul>
 *   <li>JSONL: one JSON object per line; strings, numbers (as written: {@code 1} gives {@code "1"}) and
 *       booleans become string fields, {@code null} leaves the field out, nested objects and arrays are
 *       rejected.</li>
 *   <li>CSV (RFC 4180): a header row names the fields; fields may be quoted with {@code "}, quoted fields may hold
 *       commas, newlines and doubled quotes {@code ""}.</li>
 *   <li>TSV: a header row; fields separated by tabs, no quoting (a field cannot hold a tab or newline: a wrong
 *       field count on a line with a {@code "} says so).</li>
 * </ul>
 *
 * <p>A byte-order mark belongs at the start of the file only (one at the start of a later line, from files joined
 * with {@code cat}, is refused at its line); a NUL byte in otherwise valid UTF-8 is refused at its line. Blank lines are skipped. Each example records its file and starting line. Errors are one line naming
 * {@code file:line} and the problem.
 */
public final class ExampleReader {

    private ExampleReader() {}

    /** Examples of {@code file}, in the format its extension names ({@link DataFormat#of(Path)}). */
    public static List<Example> read(Path file) {
        checkFile(file);
        return read(file, DataFormat.of(file));
    }

    /**
     * The largest data file read: a file is read whole (its line numbers and encoding checked in one pass), and a
     * Java array holds at most this many bytes. Past it, reading used to end in a stack trace (OutOfMemoryError:
     * Required array size too large).
     */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /**
     * From this size on, reading a file says so once: reading, checking and tokenizing it before the run takes a while
     * (31 MB: about 40 s), which was silence.
     */
    static final long ANNOUNCED_BYTES = 8L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ExampleReader.class);

    /** The large files already announced (path and size): a script's checks and its run read the same file. */
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    /** Examples of {@code file} in {@code format}, whatever its extension. */
    public static List<Example> read(Path file, DataFormat format) {
        checkFile(file);
        long size;
        byte[] bytes;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (size > MAX_FILE_BYTES) {
            throw new PromptTuneException(file + " is " + mib(size) + ": too large to read (at most "
                    + mib(MAX_FILE_BYTES) + " in one file); allowed: a smaller file, e.g. a random sample of its "
                    + "lines (shuf -n 100000)");
        }
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        } catch (OutOfMemoryError e) {
            throw tooLargeForHeap(file, size, e);
        }
        // Its bytes fit the heap (else the refusal alone): parsing, checking and tokenizing take the while.
        if (size >= ANNOUNCED_BYTES && ANNOUNCED.add(file.toAbsolutePath() + " " + size)) {
            LOG.info("reading {} ({}) and checking it before the run; a large file takes a while (Ctrl-C stops)", file,
                    mib(size));
        }
        try {
            return parse(Utf8Text.decode(bytes, file.toString()), file.toString(), format);
        } catch (OutOfMemoryError e) {
            bytes = null; // what failed to fit is garbage now: the error below can be built and shown
            throw tooLargeForHeap(file, size, e);
        }
    }

    private static PromptTuneException unreadable(Path file, IOException e) {
        return new PromptTuneException(file + " cannot be read: " + PathProblems.describe(file, e), e);
    }

    /**
     * A file that does not fit the Java heap: said in one line with the heap's size and how to raise it, not as a
     * stack trace. (Caught where the allocation failed: the half-read examples are garbage once this is thrown.)
     */
    private static PromptTuneException tooLargeForHeap(Path file, long size, OutOfMemoryError e) {
        return new PromptTuneException(file + " (" + mib(size) + ") does not fit in the Java heap (" + JavaHeap.limit()
                + "); allowed: a smaller file, or " + JavaHeap.howToRaise(), e);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    /**
     * Examples of {@code text} in {@code format}; {@code source} names it in locations and messages.
     */
    public static List<Example> parse(String text, String source, DataFormat format) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        requireNoByteOrderMarkAtALine(text, source);
        return switch (format) {
            case JSONL -> JsonLines.parse(text, source);
            case CSV -> CsvParser.parse(text, source);
            case TSV -> parseTsv(text, source);
        };
    }

    /**
     * A byte-order mark at the start of a line after the first: files joined with {@code cat} (each saved with its
     * own mark). It was read as part of the line's first field, unseen (a header name, a label that then matched
     * nothing). A U+FEFF inside text is a zero-width no-break space and stays.
     */
    private static void requireNoByteOrderMarkAtALine(String text, String source) {
        int bom = text.indexOf("\n\uFEFF");
        if (bom < 0) {
            bom = text.indexOf("\r\uFEFF");
        }
        if (bom >= 0) {
            int line = 1;
            for (int i = 0; i <= bom; i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                    line++;
                }
            }
            throw new PromptTuneException(source + ":" + line + ": starts with a byte-order mark (U+FEFF), which "
                    + "belongs only at the start of a file (were files joined, each with its own?); allowed: no mark "
                    + "inside the file (remove it, e.g. sed -i '2,$ s/^\\xEF\\xBB\\xBF//' FILE)");
        }
    }

    private static void checkFile(Path file) {
        String problem = PathProblems.notRegularFile(file);
        if (problem != null) {
            throw new PromptTuneException(PathProblems.sentence(file.toString(), problem,
                    "a data file (.jsonl, .csv or .tsv)"));
        }
    }

    private static List<Example> parseTsv(String text, String source) {
        List<Example> examples = new ArrayList<>();
        String[] header = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (lineNo % DataInterrupts.ROWS == 0) {
                DataInterrupts.check("reading " + source);
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (header == null) {
                header = Headers.check(cells, source, lineNo, '\t');
                continue;
            }
            examples.add(Headers.example(header, cells, source, lineNo, "tab-separated", line.indexOf('"') < 0 ? ""
                    : "; TSV has no quoting: a \" is text, and a tab or line break between quotes still ends the field"
                    + " or line (tab-separated fields cannot hold a tab or newline; a .csv file's quoted fields can)"));
        }
        return examples;
    }

    /** Header checks and row-to-example, shared by CSV and TSV. */
    static final class Headers {

        private Headers() {}

        /**
         * The header's column names, checked; {@code separator} is the format's own (',' or tab). A header of one
         * column that holds another separator is a file of another dialect (Excel writes ';' where ',' is the
         * decimal mark), which would otherwise surface later as a template slot missing from a field named
         * "text;label".
         */
        static String[] check(String[] cells, String source, int line, char separator) {
            if (cells.length == 1) {
                for (char other : new char[] {';', '\t', '|', ','}) {
                    if (other != separator && cells[0].indexOf(other) >= 0) {
                        throw new PromptTuneException(source + ":" + line + ": the header is one column, '"
                                + cells[0].strip() + "': its names are separated by " + name(other) + ", not by "
                                + name(separator) + "; allowed: comma-separated .csv or tab-separated .tsv files"
                                + " (convert the file, or name it .tsv when tabs separate its columns)");
                    }
                }
            }
            String[] names = new String[cells.length];
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                names[i] = cells[i].strip();
                if (names[i].isEmpty()) {
                    throw new PromptTuneException(source + ":" + line + ": header column " + (i + 1)
                            + " has no name; the first row must name every column");
                }
                Integer before = seen.put(names[i], i + 1);
                if (before != null) {
                    throw new PromptTuneException(source + ":" + line + ": header names '" + names[i]
                            + "' twice (columns " + before + " and " + (i + 1) + ")");
                }
            }
            return names;
        }

        private static String name(char separator) {
            return switch (separator) {
                case '\t' -> "tabs";
                case ',' -> "','";
                default -> "'" + separator + "'";
            };
        }

        /** @param hint said after a wrong field count: what in this format may have caused it, or "" */
        static Example example(String[] header, String[] cells, String source, int line, String kind, String hint) {
            if (cells.length != header.length) {
                throw new PromptTuneException(source + ":" + line + ": " + cells.length + " " + kind + " field"
                        + (cells.length == 1 ? "" : "s") + ", but the header has " + header.length + " ("
                        + String.join(", ", header) + ")" + hint);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                fields.put(header[i], cells[i]);
            }
            return new Example(fields, source, line);
        }
    }
}
