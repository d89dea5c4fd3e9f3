package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged summary.json fails naming the file, the field, its value and what is allowed. */
class SummaryJsonTest {

    private static final String GOOD = "{\"id\": \"r-1\", \"name\": \"r\", \"model\": \"t5-mini-wide\", \"init\": \"labels\", "
            + "\"length\": 5, \"metric\": \"accuracy\", \"dev\": NaN, \"best_step\": 2, \"test\": 0.5, "
            + "\"baselines\": {\"design\": 0.5, \"majority\": null}, \"steps\": 2, \"seconds\": 0.25, \"peak_rss_mib\": 482, "
            + "\"params_trainable\": 1280, \"params_total\": 11491072, \"trainable_percent\": 0.011, "
            + "\"stop_reason\": \"steps\", \"fast_dev_run\": false}";

    @TempDir
    Path dir;

    private String fails(String json) throws IOException {
        Path file = Files.writeString(dir.resolve("summary.json"), json);
        return assertThrows(PromptTuneException.class, () -> SummaryJson.read(file)).getMessage()
                .substring(file.toString().length());
    }

    @Test
    void goodSummaryReads() throws IOException {
        Path file = Files.writeString(dir.resolve("summary.json"), GOOD);
        assertEquals("r-1", SummaryJson.read(file).get("id").getAsString());
    }

    @Test
    void wrongTypesNameTheField() throws IOException {
        assertEquals(": field \"test\" is \"abc\"; allowed: a number or null", fails(GOOD.replace("\"test\": 0.5", "\"test\": \"abc\"")));
        assertEquals(": field \"steps\" is 2.5; allowed: a whole number", fails(GOOD.replace("\"steps\": 2,", "\"steps\": 2.5,")));
        assertEquals(": field \"id\" is missing; allowed: a string", fails(GOOD.replace("\"id\": \"r-1\", ", "")));
        assertEquals(": field \"baselines.design\" is [1]; allowed: a number or null",
                fails(GOOD.replace("\"design\": 0.5", "\"design\": [1]")));
        assertEquals(": field \"fast_dev_run\" is \"no\"; allowed: true or false",
                fails(GOOD.replace("\"fast_dev_run\": false", "\"fast_dev_run\": \"no\"")));
    }

    @Test
    void notAnObject() throws IOException {
        assertEquals(" holds an array [], not an object; allowed: a JSON object {...}", fails("[]"));
        assertEquals(" is not valid JSON (line 1, column 18: unterminated string)", fails("{\"id\": \"r-1\", \"na"));
    }
}
