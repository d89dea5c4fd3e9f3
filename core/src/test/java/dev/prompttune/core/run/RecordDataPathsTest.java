package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record names its data files as the run was given them: relative ones are relative to the folder it started in.
 * Resumed or re-scored from another folder, the refusal names the record's spec.json and this folder (it said only
 * "data file train.jsonl does not exist").
 */
class RecordDataPathsTest {

    @TempDir
    Path dir;

    @Test
    void relativeDataNotFoundFromHereNamesTheRecordAndThisFolder() throws Exception {
        PromptTuneSpec spec = PromptTuneSpec.builder().train(Path.of("no-such-folder/train.jsonl")).build();
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.requireDataFound(dir, spec));
        assertEquals(dir.resolve("spec.json") + " names data file no-such-folder/train.jsonl relative to the folder its "
                + "run was started in, and it is not found from " + Path.of("").toAbsolutePath() + "; allowed: running "
                + "the command from the folder the run started in", e.getMessage());

        Path train = Files.writeString(dir.resolve("train.jsonl"), "{}\n");
        RunRecord.requireDataFound(dir, PromptTuneSpec.builder().train(train).build()); // absolute and there: fine
    }

    @Test
    void dataGoneSinceTheRunNamesTheRecord() {
        Path gone = dir.resolve("moved/dev.jsonl");
        PromptTuneSpec spec = PromptTuneSpec.builder().train(gone).build();
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.requireDataFound(dir, spec));
        assertEquals(dir.resolve("spec.json") + " names data file " + gone + ", which does not exist (moved or deleted "
                + "since the run); allowed: the run's data back at that path", e.getMessage());
    }
}
