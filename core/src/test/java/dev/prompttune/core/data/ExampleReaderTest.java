package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static void assertMessage(PromptTuneException e, String... parts) {
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    private PromptTuneException fails(String name, String content) throws IOException {
        Path p = write(name, content);
        return assertThrows(PromptTuneException.class, () -> ExampleReader.read(p));
    }

    // ---- JSONL

    @Test
    void jsonlReadsFieldsInOrderWithLocations() throws IOException {
        Path p = write("train.jsonl", "{\"premise\": \"a b\", \"label\": 1, \"ok\": true, \"x\": 1.50, \"n\": null}\n"
                + "\n   \n{\"premise\": \"caf\u00e9 \\\"q\\\"\", \"label\": \"0\"}\n");
        List<Example> ex = ExampleReader.read(p);
        assertEquals(2, ex.size());
        assertEquals(List.of("premise", "label", "ok", "x"), List.copyOf(ex.get(0).fields().keySet()));
        assertEquals("1", ex.get(0).get("label"));
        assertEquals("true", ex.get(0).get("ok"));
        assertEquals("1.50", ex.get(0).get("x"), "numbers as written");
        assertEquals(null, ex.get(0).get("n"), "null leaves the field out");
        assertEquals(p + ":1", ex.get(0).location());
        assertEquals(4, ex.get(1).line(), "blank lines skipped but counted");
        assertEquals("caf\u00e9 \"q\"", ex.get(1).get("premise"));
    }

    /** A field given as JSON null is absent, but messages say it is null rather than that the line lacks it. */
    @Test
    void jsonlNullFieldIsNamedAsNullWhereItIsNeeded() throws IOException {
        Path p = write("train.jsonl", "{\"text\": null, \"label\": \"spam\"}\n{\"text\": \"hi\", \"label\": null}\n");
        List<Example> ex = ExampleReader.read(p);
        PromptTuneException slot = assertThrows(PromptTuneException.class,
                () -> Template.of("{text}").render(ex.get(0)));
        assertMessage(slot, "'{text}'", "field 'text' is null in " + p + ":1", "string value");
        PromptTuneException label = assertThrows(PromptTuneException.class, () -> ex.get(1).require("label", "label field"));
        assertMessage(label, p + ":2", "label field 'label' is null", "its fields are: text, label (null)");
        assertEquals("text (null)", ex.get(0).fieldNames().split(", ")[1], "listed after the fields with values");
        assertThrows(PromptTuneException.class, () -> ExampleReader.read(write("twice.jsonl", "{\"a\": null, \"a\": \"x\"}\n")),
                "a field given twice, once as null, is still given twice");
    }

    @Test
    void jsonlAcceptsCrlfBomAndJsonExtension() throws IOException {
        Path p = write("data.json", "\uFEFF{\"a\": \"x\"}\r\n{\"a\": \"y\"}\r\n");
        List<Example> ex = ExampleReader.read(p);
        assertEquals(List.of("x", "y"), ex.stream().map(e -> e.get("a")).toList());
    }

    @Test
    void jsonlRejectsNestedObjectsAndArraysNamingFileLineAndField() throws IOException {
        assertMessage(fails("train.jsonl", "{\"a\": \"x\"}\n{\"a\": {\"b\": 1}}\n"), "train.jsonl:2", "'a'",
                "nested object", "strings, numbers, booleans");
        assertMessage(fails("t.jsonl", "{\"tags\": [1, 2]}\n"), "t.jsonl:1", "'tags'", "an array");
    }

    @Test
    void jsonlBadJsonNamesFileLine() throws IOException {
        assertMessage(fails("train.jsonl", "{\"a\": \"x\"}\n\n{\"a\": \"x\",}\n"), "train.jsonl:3", "not valid JSON");
        assertMessage(fails("u.jsonl", "{\"a\": \"unterminated}\n"), "u.jsonl:1", "not valid JSON");
        assertMessage(fails("s.jsonl", "{a: 'lenient'}\n"), "s.jsonl:1", "not valid JSON");
        assertMessage(fails("two.jsonl", "{\"a\": \"x\"} {\"a\": \"y\"}\n"), "two.jsonl:1", "one object per line");
        assertMessage(fails("arr.json", "[{\"a\": \"x\"},\n{\"a\": \"y\"}]\n"), "arr.json:1", "JSON object",
                "array");
        assertMessage(fails("str.jsonl", "\"just text\"\n"), "str.jsonl:1", "expected a JSON object", "a string");
        assertMessage(fails("dup.jsonl", "{\"a\": \"x\", \"a\": \"y\"}\n"), "dup.jsonl:1", "'a'", "twice");
    }

    // ---- CSV

    @Test
    void csvQuotedFieldsHoldCommasQuotesAndNewlines() throws IOException {
        Path p = write("train.csv", "text,label\n"
                + "\"a, b\",yes\n"
                + "\"she said \"\"hi\"\"\",no\n"
                + "\"line one\nline two\",yes\n"
                + "plain 5\" screen,no\n"
                + "\"\",yes\n"
                + "last,\n");
        List<Example> ex = ExampleReader.read(p);
        assertEquals(6, ex.size());
        assertEquals("a, b", ex.get(0).get("text"));
        assertEquals("she said \"hi\"", ex.get(1).get("text"));
        assertEquals("line one\nline two", ex.get(2).get("text"));
        assertEquals(4, ex.get(2).line());
        assertEquals(6, ex.get(3).line(), "line numbers count the newline inside quotes");
        assertEquals("plain 5\" screen", ex.get(3).get("text"), "a quote inside an unquoted field is text");
        assertEquals("", ex.get(4).get("text"));
        assertEquals("", ex.get(5).get("label"), "trailing empty field");
    }

    @Test
    void csvCrlfBlankLinesBomAndNoFinalNewline() throws IOException {
        Path p = write("d.csv", "\uFEFF a , b \r\n\r\n1,\"x\r\ny\"\r\n\r\n2,z");
        List<Example> ex = ExampleReader.read(p);
        assertEquals(2, ex.size());
        assertEquals(List.of("a", "b"), List.copyOf(ex.get(0).fields().keySet()), "header names trimmed");
        assertEquals("x\r\ny", ex.get(0).get("b"), "line ends inside quotes kept as written");
        assertEquals(3, ex.get(0).line());
        assertEquals(6, ex.get(1).line());
        assertEquals("z", ex.get(1).get("b"));
    }

    @Test
    void csvErrorsNameFileLine() throws IOException {
        assertMessage(fails("train.csv", "text,label\nok,1\nx,y,z\n"), "train.csv:3", "3 comma-separated fields",
                "header has 2", "text, label");
        assertMessage(fails("one.csv", "text,label\nonly\n"), "one.csv:2", "1 comma-separated field,");
        assertMessage(fails("open.csv", "text,label\nok,1\n\"never closed,1\nmore\n"), "open.csv:3",
                "never closed");
        assertMessage(fails("after.csv", "text,label\n\"quoted\"x,1\n"), "after.csv:2", "'x'",
                "after a closing quote", "\"\"");
        assertMessage(fails("dup.csv", "a,b,a\n1,2,3\n"), "dup.csv:1", "'a' twice", "columns 1 and 3");
        assertMessage(fails("empty.csv", "a,,b\n"), "empty.csv:1", "column 2 has no name");
    }

    @Test
    void csvQuoteLeftOpenIsReportedWhereTheFieldStarts() throws IOException {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int line = 2; line <= 14; line++) {
            csv.append("row ").append(line).append(",ham\n");
        }
        csv.append("\"opens on line 15 and never closes,spam\n");   // line 15
        csv.append("row 16,ham\n");
        csv.append("row 17 with a \"quoted\" word,ham\n");           // the quote here "closes" the field of line 15
        csv.append("row 18,spam\n");
        PromptTuneException e = fails("open15.csv", csv.toString());
        assertTrue(e.getMessage().contains("open15.csv:15: "), e.getMessage());
        assertMessage(e, "never closed", "line 17", "'q'");
    }

    @Test
    void csvWithOnlyAHeaderHasNoExamples() throws IOException {
        assertEquals(List.of(), ExampleReader.read(write("h.csv", "a,b\n")));
        assertEquals(List.of(), ExampleReader.read(write("e.csv", "")));
    }

    // ---- TSV

    @Test
    void tsvSplitsOnTabsWithoutQuoting() throws IOException {
        Path p = write("dev.tsv", "sentence\tlabel\r\n\"a, b\"\t1\n\nit's \"fine\"\t0\n");
        List<Example> ex = ExampleReader.read(p);
        assertEquals(2, ex.size());
        assertEquals("\"a, b\"", ex.get(0).get("sentence"), "quotes are text in TSV");
        assertEquals("1", ex.get(0).get("label"));
        assertEquals(4, ex.get(1).line());
    }

    @Test
    void tsvWrongFieldCountNamesFileLine() throws IOException {
        assertMessage(fails("dev.tsv", "sentence\tlabel\na\tb\tc\n"), "dev.tsv:2", "3 tab-separated fields",
                "header has 2", "sentence, label");
    }

    // ---- files and formats

    @Test
    void missingFileDirectoryAndUnknownExtension() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> ExampleReader.read(missing));
        assertMessage(e, missing + " does not exist");
        e = assertThrows(PromptTuneException.class, () -> ExampleReader.read(dir));
        assertMessage(e, dir.toString(), "is a directory");
        assertMessage(fails("data.txt", "a\n"), "data.txt", "'.txt'", ".jsonl", ".json", ".csv", ".tsv");
        assertMessage(fails("data", "a\n"), "no extension", ".jsonl");
    }

    @Test
    void formatOverrideIgnoresTheExtension() throws IOException {
        Path p = write("data.txt", "a\tb\n1\t2\n");
        List<Example> ex = ExampleReader.read(p, DataFormat.TSV);
        assertEquals(Map.of("a", "1", "b", "2"), ex.get(0).fields());
        assertEquals(DataFormat.JSONL, DataFormat.named("json"));
        assertEquals(DataFormat.CSV, DataFormat.named("CSV"));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> DataFormat.named("xml"));
        assertMessage(e, "'xml'", "jsonl, csv, tsv");
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Path p = dir.resolve("bad.jsonl");
        byte[] good = "{\"a\": \"x\"}\n{\"a\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 4];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = (byte) 0xC3;
        bytes[good.length + 1] = (byte) 0x28;
        bytes[good.length + 2] = '"';
        bytes[good.length + 3] = '}';
        Files.write(p, bytes);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> ExampleReader.read(p));
        assertMessage(e, "bad.jsonl:2", "UTF-8");
    }

    /**
     * Files that are not text are named as what they are: a gzip, zip or UTF-16 file used to be "not valid UTF-8
     * (byte offset 1)", a NUL-filled one "not valid JSON".
     */
    @Test
    void filesThatAreNotTextAreNamedAsWhatTheyAre() throws IOException {
        byte[] rows = "{\"text\": \"hi\", \"label\": \"yes\"}\n".getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(rows);
        }
        assertMessage(failsOn("train.jsonl", gz.toByteArray()), "train.jsonl: is gzip-compressed", "gunzip -k FILE");
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("train.csv"));
            out.write(rows);
        }
        assertMessage(failsOn("train.csv", zip.toByteArray()), "train.csv: is a zip archive", "export the sheet as CSV");
        assertMessage(failsOn("utf16.jsonl", "{\"a\": 1}\n".getBytes(StandardCharsets.UTF_16)), "utf16.jsonl: is UTF-16 text",
                "save it as UTF-8");
        byte[] le = "\uFEFFtext,label\n".getBytes(StandardCharsets.UTF_16LE);
        assertMessage(failsOn("le.csv", le), "le.csv: is UTF-16 text");
        assertMessage(failsOn("nobom.csv", "text,label\n".getBytes(StandardCharsets.UTF_16LE)), "nobom.csv: holds a NUL byte"
                + " at byte offset 1", "UTF-16 text without a byte-order mark");
        // The formats' published magic numbers (RFC 1952 for gzip above; xz, zstd, bzip2 and Excel 97 here).
        assertMessage(failsOn("t.jsonl", new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 1, 2}), "is xz-compressed");
        assertMessage(failsOn("t.jsonl", new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1}), "is zstd-compressed");
        assertMessage(failsOn("t.jsonl", "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII)), "is bzip2-compressed");
        assertMessage(failsOn("t.csv", new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1}), "(.xls)");
        // Text that merely starts like a magic number is still text.
        assertEquals(1, ExampleReader.read(write("bz.csv", "BZh,label\nx,y\n")).size());
        assertEquals(1, ExampleReader.read(write("par.csv", "PAR1,label\nx,y\n")).size());
    }

    /**
     * One NUL byte in otherwise valid UTF-8 text is said at its line, as every other data error, and not called a
     * binary file or UTF-16 text (it was, without a line); a NUL past the first 4 KiB was read into the field.
     */
    @Test
    void aStrayNulIsSaidAtItsLine() throws IOException {
        for (String name : List.of("nul.csv", "nul.tsv", "nul.jsonl")) {
            String sep = name.endsWith(".csv") ? "," : "\t";
            String head = name.endsWith(".jsonl") ? "" : "text" + sep + "label\n";
            String row = name.endsWith(".jsonl") ? "{\"text\": \"good\", \"label\": \"pos\"}\n" : "good" + sep + "pos\n";
            String bad = name.endsWith(".jsonl") ? "{\"text\": \"te\u0000xt\", \"label\": \"pos\"}\n" : "te\u0000xt" + sep + "pos\n";
            PromptTuneException e = fails(name, head + row + row + bad + row);
            assertMessage(e, name + ":" + (head.isEmpty() ? 3 : 4) + ": holds a NUL byte (byte offset ", "allowed: UTF-8 text "
                    + "without NUL bytes");
            assertTrue(!e.getMessage().contains("binary") && !e.getMessage().contains("UTF-16"), e.getMessage());
        }
        PromptTuneException late = fails("late.csv", "text,label\n" + "a fine row,pos\n".repeat(400) + "x\u0000,pos\n");
        assertMessage(late, "late.csv:402: holds a NUL byte");
    }

    /** A quoted TSV field that breaks the column count: the message says TSV has no quoting. */
    @Test
    void aQuotedTsvFieldIsToldTsvHasNoQuoting() throws IOException {
        assertMessage(fails("q.tsv", "text\tlabel\nfine\tpos\n\"quoted\ttab\"\tpos\n"), "q.tsv:3: 3 tab-separated fields, "
                + "but the header has 2 (text, label); TSV has no quoting", "tab-separated fields cannot hold a tab or newline");
        assertMessage(fails("ml.tsv", "text\tlabel\n\"two\nlines\"\tpos\n"), "ml.tsv:2: 1 tab-separated field", "no quoting");
        PromptTuneException plain = fails("p.tsv", "text\tlabel\na\tb\tc\n");
        assertTrue(!plain.getMessage().contains("quoting"), "no quote, no word about quoting: " + plain.getMessage());
    }

    /** A byte-order mark at the start of a later line (files joined with cat) was read into its first field. */
    @Test
    void aByteOrderMarkInsideTheFileIsRefusedAtItsLine() throws IOException {
        assertMessage(fails("mid.csv", "\uFEFFtext,label\na,pos\r\n\uFEFFb,neg\n"), "mid.csv:3: starts with a byte-order mark "
                + "(U+FEFF), which belongs only at the start of a file");
        assertMessage(fails("mid.jsonl", "{\"text\": \"a\"}\n\n\uFEFF{\"text\": \"b\"}\n"), "mid.jsonl:3: starts with a "
                + "byte-order mark");
        assertEquals(1, ExampleReader.read(write("zw.csv", "text,label\na\uFEFFb,pos\n")).size(),
                "inside text it is a zero-width no-break space");
    }

    /** A ';'-separated file (Excel's CSV where ',' is the decimal mark) is named at its header, not at a template slot. */
    @Test
    void aHeaderOfOneColumnHoldingAnotherSeparatorIsNamed() throws IOException {
        assertMessage(fails("semi.csv", "text;label\nhi;yes\n"), "semi.csv:1: the header is one column, 'text;label'",
                "separated by ';', not by ','", ".tsv");
        assertMessage(fails("tabs.csv", "text\tlabel\nhi\tyes\n"), "separated by tabs, not by ','", "name it .tsv");
        assertMessage(fails("commas.tsv", "text,label\nhi,yes\n"), "commas.tsv:1", "separated by ',', not by tabs");
        assertEquals(1, ExampleReader.read(write("one.csv", "text\nhi\n")).size(), "one column of plain names is fine");
    }

    private PromptTuneException failsOn(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return assertThrows(PromptTuneException.class, () -> ExampleReader.read(p));
    }
}
