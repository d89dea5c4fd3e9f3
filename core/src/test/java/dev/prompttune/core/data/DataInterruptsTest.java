package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while the data is read, checked and tokenized before a run stops that work within a few rows (it went on
 * for half a minute on a 31 MB file), and only there: elsewhere (a stopped run scoring its best prompt) it goes on.
 */
class DataInterruptsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearTheFlag() {
        Thread.interrupted();
    }

    private Path rows(String name, int n, String format) throws IOException {
        StringBuilder b = new StringBuilder(format.equals("jsonl") ? "" : format.equals("csv") ? "text,label\n" : "text\tlabel\n");
        for (int i = 0; i < n; i++) {
            String label = i % 2 == 0 ? "a" : "b";
            b.append(switch (format) {
                case "jsonl" -> "{\"text\": \"row " + i + "\", \"label\": \"" + label + "\"}\n";
                case "csv" -> "row " + i + "," + label + "\n";
                default -> "row " + i + "\t" + label + "\n";
            });
        }
        return Files.writeString(dir.resolve(name + "." + format), b);
    }

    @Test
    void readingEachFormatBeforeARunStopsAtAnInterrupt() throws IOException {
        for (String format : List.of("jsonl", "csv", "tsv")) {
            Path train = rows("train", 5000, format);
            PromptTuneSpec spec = PromptTuneSpec.builder().train(train).template("text: {text}").build();
            Thread.currentThread().interrupt();
            DataInterrupts.Stopped e = assertThrows(DataInterrupts.Stopped.class, () -> TaskSetup.resolve(spec));
            assertEquals("interrupted while reading " + train, e.getMessage());
            assertInstanceOf(InterruptedException.class, e.getCause(), "the command line reports it as the stop");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set: what runs next stops too");
            assertEquals(5000, ExampleReader.read(train).size(), "outside the checks before a run, reading goes on");
            Thread.interrupted();
            assertEquals(5000, TaskSetup.resolve(spec).data().train().size() + TaskSetup.resolve(spec).data().dev()
                    .orElseThrow().size(), "not interrupted: read whole");
        }
    }

    @Test
    void tokenizingBeforeARunStopsAtAnInterruptAndNowhereElse() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            examples.add(new Example(Map.of("q", "question " + i, "label", i % 2 == 0 ? "0" : "1"), "t.jsonl", i + 1));
        }
        Split split = new Split("train", "t.jsonl", examples);
        Template template = Template.of("question: {q}");
        Verbalizer verbalizer = Verbalizer.of(Map.of("0", "no", "1", "yes"));
        try (T5Tokenizer tokenizer = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            Thread.currentThread().interrupt();
            DataInterrupts.Stopped e = assertThrows(DataInterrupts.Stopped.class, () -> DataInterrupts.during(
                    () -> TokenizedSplit.tokenize(split, template, verbalizer, tokenizer, 32, 4)));
            assertEquals("interrupted while tokenizing t.jsonl", e.getMessage());
            assertEquals(500, TokenizedSplit.tokenize(split, template, verbalizer, tokenizer, 32, 4).size(),
                    "a stopped run's scoring tokenizes with the flag set");
        }
    }
}
