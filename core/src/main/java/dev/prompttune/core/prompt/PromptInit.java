package dev.prompttune.core.prompt;

import java.util.List;
import java.util.Map;

/**
 * How a soft prompt's initial values are made (the paper's three strategies, PEFT's text, and a saved file).
 * Every strategy is deterministic given the context's seed: same seed ⇒ same prompt, bit for bit.
 */
public sealed interface PromptInit permits RandomInit, VocabInit, LabelsInit, TextInit, FileInit {

    /** Initial values, row-major [ctx.length(), ctx.width()]. */
    float[] values(InitContext ctx);

    /** The name used in specs, DSL and records: random, vocab, labels, text, file. */
    String kind();

    /** Settings for run records. */
    Map<String, Object> describe();

    /** Strategy names, for messages. */
    List<String> KINDS = List.of("random", "vocab", "labels", "text", "file");

    static PromptInit random() {
        return new RandomInit(-0.5f, 0.5f);
    }

    static PromptInit vocab() {
        return new VocabInit(VocabInit.PAPER_TOP_K);
    }

    static PromptInit labels() {
        return new LabelsInit();
    }

    static PromptInit text(String text) {
        return new TextInit(text);
    }

    static PromptInit file(java.nio.file.Path path) {
        return new FileInit(path);
    }

    /** A saved prompt; {@code anyModel}: used even if it records another model's embedding fingerprint. */
    static PromptInit file(java.nio.file.Path path, boolean anyModel) {
        return new FileInit(path, anyModel);
    }

    /** Parses the simple forms: random, vocab, labels. */
    static PromptInit parse(String name) {
        if (name == null) {
            // A switch on null throws a NullPointerException with no word of what was missing.
            throw new dev.prompttune.core.PromptTuneException("init is null; allowed: random, vocab, labels, text('…'), "
                    + "file('…')");
        }
        return switch (name) {
            case "random" -> random();
            case "vocab" -> vocab();
            case "labels" -> labels();
            default -> throw new dev.prompttune.core.PromptTuneException("init '" + name + "' is not known; allowed: "
                    + "random, vocab, labels, text('…'), file('…')" + (name.strip().matches("(text|file)\\(.*\\)")
                            ? " (" + name.strip().substring(0, 4) + "(…) is a call: write it without the quotes around it)" : ""));
        };
    }
}
