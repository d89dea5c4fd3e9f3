package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task.json's fields are read strictly: each wrong type or unknown metric is one error naming the file, the field,
 * the value and what is allowed (a null or object label target used to escape as Gson's UnsupportedOperationException
 * with a stack trace, and an unknown metric was found only after the run's record had been created).
 */
class TaskResolverTest {

    @TempDir
    Path tmp;

    private Path task(String name, String json) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("task.json"), json);
        return dir;
    }

    @Test
    void aGoodTaskJsonGivesItsSettings() throws Exception {
        Path dir = task("good", "{\"template\": \"t: {text}\", \"verbalizer\": {\"a\": \"yes\", \"b\": \"no\"}, "
                + "\"label_field\": \"y\", \"metric\": \"macro_f1\"}");
        TaskResolver.Task t = TaskResolver.resolve(dir.toString());
        assertEquals(Map.of("a", "yes", "b", "no"), t.labels());
        assertEquals("y", t.labelField());
        assertEquals("macro_f1", t.metric());
        assertEquals("t: {text}", t.template());
    }

    @Test
    void eachWrongFieldIsOneErrorNamingFileFieldValueAndWhatIsAllowed() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"verbalizer\": {\"spam\": null, \"ham\": \"ham\"}}",
                "field \"verbalizer\" gives label 'spam' the target null; allowed: a non-empty string",
                "{\"verbalizer\": {\"spam\": {\"x\": 1}}}",
                "field \"verbalizer\" gives label 'spam' the target {\"x\":1}; allowed: a non-empty string",
                "{\"verbalizer\": [\"spam\", \"ham\"]}",
                "field \"verbalizer\" is [\"spam\",\"ham\"]; allowed: an object mapping each label to its target text",
                "{\"labels\": {}}",
                "field \"labels\" is {}; allowed: an object mapping each label to its target text",
                "{\"label_field\": [\"label\"]}",
                "field \"label_field\" is [\"label\"]; allowed: a string (the name of the label's field)",
                "{\"metric\": \"bogus\"}",
                "field \"metric\" is 'bogus'; allowed: accuracy, macro_f1",
                "{\"metric\": 5}",
                "field \"metric\" is 5; allowed: a string (accuracy, macro_f1)",
                "{\"template\": 7}",
                "field \"template\" is 7; allowed: a string");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path dir = task("bad" + i++, c.getKey());
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> TaskResolver.resolve(dir.toString()),
                    c.getKey());
            String expected = dir.resolve("task.json") + ": " + c.getValue();
            assertEquals(expected, e.getMessage().substring(0, Math.min(e.getMessage().length(), expected.length())),
                    c.getKey());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
