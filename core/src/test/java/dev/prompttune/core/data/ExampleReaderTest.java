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
}
