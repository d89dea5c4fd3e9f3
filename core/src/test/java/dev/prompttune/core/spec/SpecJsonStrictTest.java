package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.prompt.PromptInit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A spec read back from a record's spec.json takes each field only at its own type and no field a run does not
 * write: Gson's getters had turned steps 2.5 into 2, fastDevRun "yes" into false and a number into a string, and an
 * unknown key was ignored.
 */
class SpecJsonStrictTest {

    private static PromptTuneSpec read(JsonObject json) {
        return PromptTuneSpec.fromJson(json, o -> PromptInit.labels());
    }

    private static JsonObject with(String field, String value) {
        JsonObject json = PromptTuneSpec.builder().data("spam").build().toJson();
        json.add(field, JsonParser.parseString(value));
        return json;
    }

    @Test
    void aWrittenSpecReadsBackAndWholeNumbersMayBeWrittenWithAPoint() {
        PromptTuneSpec spec = PromptTuneSpec.builder().data("spam").steps(20).seed(7).build();
        assertEquals(spec, read(spec.toJson()));
        assertEquals(20, read(with("steps", "20.0")).steps());
    }

    @Test
    void aFieldOfAnotherTypeIsNamedWithWhatItAllows() {
        Map<String, String> cases = Map.of(
                "steps", "2.5", "seed", "1e30", "fastDevRun", "\"yes\"", "model", "5", "lr", "\"0.3\"", "batch", "[4]",
                "labels", "{\"a\": 1}");
        Map<String, String> allowed = Map.of("steps", "a whole number", "seed", "a whole number", "fastDevRun",
                "true or false", "model", "a string", "lr", "a number", "batch", "a whole number", "labels", "a JSON object");
        cases.forEach((field, value) -> {
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> read(with(field, value)), field);
            assertEquals("field '" + field + "' is " + JsonParser.parseString(value) + "; allowed: " + allowed.get(field),
                    e.getMessage(), field);
        });
    }

    @Test
    void aKeyThatIsNoSettingIsRefused() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> read(with("lenght", "20")));
        assertTrue(e.getMessage().startsWith("field 'lenght' is not a setting of a run; allowed: [name, model, length,"),
                e.getMessage());
    }
}
