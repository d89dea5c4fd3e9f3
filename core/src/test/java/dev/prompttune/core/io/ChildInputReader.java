package dev.prompttune.core.io;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.ExampleReader;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.TaskResolver;
import dev.prompttune.core.text.HfJsonT5Tokenizer;
import java.nio.file.Path;

/**
 * Child-process body for tests of inputs a run cannot read ({@link UnreadableInputsTest}, a data file too large for
 * the heap): reads one input the way a run does and prints the error's message on one line (or "read" when it was
 * read). Args: KIND PATH, KIND one of config (PATH the model folder), weights, tokenizer, model, task, examples.
 */
public final class ChildInputReader {

    private ChildInputReader() {}

    public static void main(String[] args) {
        Path p = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "config" -> T5Config.load(p);
                case "weights" -> SafetensorsFile.open(p).close();
                case "tokenizer" -> HfJsonT5Tokenizer.load(p);
                case "model" -> ModelResolver.resolve(p.toString());
                case "task" -> TaskResolver.resolve(p.toString());
                case "examples" -> ExampleReader.read(p);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("read");
        } catch (PromptTuneException e) {
            System.out.println(e.getMessage());
        }
    }
}
