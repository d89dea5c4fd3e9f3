package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's arrays as the trainer sees them: inputs that the length cut makes identical are refused. */
class TaskArraysTest {

    @Test
    void aCutThatMakesEveryTrainingInputTheSameIsRefused(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("train.jsonl"),
                "{\"text\": \"win money now\", \"label\": \"spam\"}\n{\"text\": \"lunch at noon\", \"label\": \"ham\"}\n");
        String template = "Read the following message carefully and decide what it is: {text}";
        TaskData data = TaskData.builder().train(train).template(template).build();
        try (T5Tokenizer t = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            int prefix = t.encode("Read the following message carefully", false).length;
            PromptTuneException e = assertThrows(PromptTuneException.class,
                    () -> TaskArrays.of(data, t, prefix, 64, false));
            assertTrue(e.getMessage().startsWith("maxInputLength " + prefix + " cuts all 2 training inputs to the same "
                    + "tokens"), e.getMessage());
            assertTrue(e.getMessage().contains("raise maxInputLength or shorten the template '" + template + "'"),
                    e.getMessage());
            // Long enough to reach the text: the inputs differ and the task is built.
            int whole = t.encode("Read the following message carefully and decide what it is: win money now").length;
            assertEquals(2, TaskArrays.of(data, t, whole, 64, false).train().inputs().length);
        }
    }
}
