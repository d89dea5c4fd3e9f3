package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every JSON file prompttune reads fails with one line: file, line and column, and what is wrong in plain words. */
class JsonFilesTest {

    @TempDir
    Path dir;

    private String fails(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> JsonFiles.readObject(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        assertTrue(!m.contains("\n") && !m.contains("gson") && !m.contains("Exception"), "one plain line: " + m);
        return m.substring(file.toString().length());
    }

    @Test
    void truncatedFilesSayWhereAndWhat() throws IOException {
        assertEquals(" is not valid JSON (line 1, column 13: unterminated string)", fails("a.json", "{\"name\": \"ab"));
        assertEquals(" is not valid JSON (line 2, column 12: the text ends mid-value)", fails("b.json", "{\n\"d_model\": "));
        assertEquals(" is not valid JSON (line 1, column 10: unterminated object)", fails("c.json", "{\"a\": 1 \"b\": 2}"));
        assertEquals(" is not valid JSON (line 1, column 9: expected ':')", fails("d.json", "{\"not\" json}"));
        assertEquals(" is not valid JSON (it is empty); allowed: a JSON value", fails("e.json", ""));
        assertEquals(" is not valid JSON (line 1, column 5: more text after the JSON value)", fails("f.json", "{} []"));
    }

    @Test
    void otherValuesThanObjectsAreNamed() throws IOException {
        assertEquals(" holds an array [], not an object; allowed: a JSON object {...}", fails("a.json", "[]"));
        assertEquals(" holds a string \"x\", not an object; allowed: a JSON object {...}", fails("s.json", "\"x\""));
    }

    @Test
    void aKeyTwiceIsRefused() throws IOException {
        assertEquals(": key \"a\" appears twice in the same object (line 1, column 13); allowed: each key once",
                fails("dup.json", "{\"a\": 1, \"a\": 2}"));
        assertTrue(fails("nested.json", "{\"o\": {\"b\": 1, \"b\": 1}}").startsWith(": key \"b\" appears twice"));
    }

    @Test
    void deepNestingIsRefusedInOneLine() throws IOException {
        // Hostile headers nest arrays thousands deep; reading them recursively must not overflow the stack.
        for (int depth : new int[] {300, 10_000, 200_000}) {
            String m = fails("deep" + depth + ".json", "{\"a\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
            assertTrue(m.contains("nested too deeply") && m.contains("allowed: at most " + JsonFiles.MAX_DEPTH),
                    depth + ": " + m);
        }
        String fine = "{\"a\": " + "[".repeat(JsonFiles.MAX_DEPTH - 1) + "]".repeat(JsonFiles.MAX_DEPTH - 1) + "}";
        assertEquals(1, JsonFiles.parseObject(fine, "ok.json").size());
    }

    @Test
    void acceptsWhatGsonsParserAccepted() {
        JsonObject o = JsonFiles.parseObject("{\"dev\": NaN, \"test\": 0.5, \"n\": 3}", "summary.json");
        assertTrue(Double.isNaN(o.get("dev").getAsDouble()));
        assertEquals(3, o.get("n").getAsInt());
        assertEquals("{\"dev\":\"NaN\",\"test\":0.5,\"n\":3}", o.toString());
        PromptTuneException strict = assertThrows(PromptTuneException.class,
                () -> JsonFiles.parseStrict("{\"dev\": NaN}", "h"));
        assertEquals("h is not valid JSON (line 1, column 9: text that is not JSON syntax)", strict.getMessage());
    }

    @Test
    void unreadableFileSaysWhy() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> JsonFiles.readObject(dir));
        assertEquals("cannot read " + dir + ": Is a directory", e.getMessage());
    }
}
