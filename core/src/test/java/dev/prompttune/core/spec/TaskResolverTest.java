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

    /**
     * task.json's "files" names the splits' files (it was ignored: a renamed train file was "a task needs a train
     * split"), and a split file that is there but unreadable is refused (a broken link or a folder was taken for a
     * missing split: no test column, or a dev split carved from train, without a word).
     */
    @Test
    void splitFilesAreTheOnesFilesNamesAndABrokenOneIsRefused() throws Exception {
        Path dir = task("named", "{\"template\": \"t: {text}\", \"files\": {\"train\": \"tr.jsonl\", \"test\": \"te.jsonl\"}}");
        Files.writeString(dir.resolve("tr.jsonl"), "{}");
        Files.writeString(dir.resolve("te.jsonl"), "{}");
        Files.writeString(dir.resolve("dev.jsonl"), "{}"); // not named by "files": not a split
        TaskResolver.Task t = TaskResolver.resolve(dir.toString());
        assertEquals(dir.resolve("tr.jsonl"), t.train());
        assertEquals(null, t.dev());
        assertEquals(dir.resolve("te.jsonl"), t.test());

        Files.delete(dir.resolve("te.jsonl"));
        PromptTuneException named = assertThrows(PromptTuneException.class, () -> TaskResolver.resolve(dir.toString()));
        assertEquals(dir.resolve("task.json") + ": the test split's file " + dir.resolve("te.jsonl") + " does not exist; "
                + "allowed: a JSON Lines file (as \"files\" names it), or no test.jsonl for a task without a test split",
                named.getMessage());

        Path plain = task("plain", "{\"template\": \"t: {text}\"}");
        Files.writeString(plain.resolve("train.jsonl"), "{}");
        Files.createSymbolicLink(plain.resolve("test.jsonl"), plain.resolve("gone.jsonl"));
        Files.createDirectory(plain.resolve("dev.jsonl"));
        PromptTuneException broken = assertThrows(PromptTuneException.class, () -> TaskResolver.resolve(plain.toString()));
        assertEquals(plain.resolve("task.json") + ": the dev split's file " + plain.resolve("dev.jsonl") + " is a directory; "
                + "allowed: a JSON Lines file, or no dev.jsonl for a task without a dev split", broken.getMessage());
        Files.delete(plain.resolve("dev.jsonl"));
        broken = assertThrows(PromptTuneException.class, () -> TaskResolver.resolve(plain.toString()));
        assertEquals(plain.resolve("task.json") + ": the test split's file " + plain.resolve("test.jsonl") + " is a broken "
                + "symbolic link (its target does not exist); allowed: a JSON Lines file, or no test.jsonl for a task without "
                + "a test split", broken.getMessage());

        PromptTuneException badFiles = assertThrows(PromptTuneException.class,
                () -> TaskResolver.resolve(task("bad-files", "{\"files\": {\"training\": \"x.jsonl\"}}").toString()));
        assertEquals(tmp.resolve("bad-files/task.json") + ": field \"files\" names split 'training'; allowed: train, dev, test",
                badFiles.getMessage());
    }
}
