package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PEFT's text initialisation: tokenize a string (as PEFT does, with the tokenizer's eos), repeat the ids until
 * they fill the prompt, truncate to its length, and copy those embeddings.
 */
public record TextInit(String text) implements PromptInit {

    public TextInit {
        if (text == null || text.isBlank()) {
            throw new PromptTuneException("init text('…') needs a non-empty text");
        }
    }

    @Override
    public float[] values(InitContext ctx) {
        long[] ids = ctx.tokenizer().encode(text, true);
        long[] tiled = new long[ctx.length()];
        for (int i = 0; i < tiled.length; i++) {
            tiled[i] = ids[i % ids.length];
        }
        return ctx.rows(tiled);
    }

    @Override
    public String kind() {
        return "text";
    }

    /** As a script writes it: {@code text('classify the e-mail')} (a sweep's value for this init). */
    @Override
    public String toString() {
        return "text('" + text + "')";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("text", text);
        return d;
    }
}
