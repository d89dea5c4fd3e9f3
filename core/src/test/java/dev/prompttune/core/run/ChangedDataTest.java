package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} of a record whose test file was edited since the run printed a new score beside the recorded one as if
 * it re-checked it: now the changed data is named.
 */
class ChangedDataTest {

    @TempDir
    Path dir;

    private Split testSplit(Path test) throws Exception {
        Path train = dir.resolve("train.jsonl");
        if (!Files.exists(train)) {
            Files.writeString(train, "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \"y\"}\n");
        }
        return TaskData.builder().train(train).test(test).template("{text}").build().split("test");
    }

    @Test
    void anEditedScoredSplitIsNamed() throws Exception {
        Path test = Files.writeString(dir.resolve("test.jsonl"), "{\"text\": \"c\", \"label\": \"x\"}\n"
                + "{\"text\": \"d\", \"label\": \"y\"}\n");
        Map<String, String> recorded = Map.of("test", testSplit(test).fingerprint());
        Path record = dir.resolve("runs/r-1");
        assertEquals(Optional.empty(), PromptTuning.changedData(record, recorded, testSplit(test)), "unchanged");

        Files.writeString(test, "{\"text\": \"c\", \"label\": \"x\"}\n");
        assertEquals(Optional.of(record + ": the test data (" + test + ") changed since the run (its fingerprint "
                        + "differs from the record's): the score below is of other data than the recorded one"),
                PromptTuning.changedData(record, recorded, testSplit(test)));
        assertTrue(PromptTuning.changedData(record, Map.of(), testSplit(test)).isEmpty(), "a record without fingerprints");
    }
}
