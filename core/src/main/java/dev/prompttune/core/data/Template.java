package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An input template with {@code {field}} slots, e.g. {@code "premise: {premise} hypothesis: {hypothesis}"}.
 * <code>&#123;&#123;</code> and <code>&#125;&#125;</code> stand for literal braces. Slot names are trimmed
 * ({@code { premise }} is {@code premise}) and may not contain braces. Immutable; equal when the template texts
 * are equal.
 */
public final class Template {

    private final String text;
    /** Alternating parts: literal text at even positions, slot names at odd positions. */
    private final List<String> parts;
    private final List<String> slots;

    private Template(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        this.slots = List.copyOf(names);
    }

    /**
     * Parses {@code text}.
     *
     * @throws PromptTuneException naming the template and the position of an unclosed <code>&#123;</code>, an
     *                             empty slot or a lone <code>&#125;</code>
     */
    public static Template of(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
            if (c == '{' && doubled || c == '}' && doubled) {
                literal.append(c);
                i += 2;
            } else if (c == '}') {
                throw error(text, "a lone '}' at position " + (i + 1) + " (write '}}' for a literal brace)");
            } else if (c == '{') {
                int close = text.indexOf('}', i + 1);
                int nested = text.indexOf('{', i + 1);
                if (close < 0 || nested >= 0 && nested < close) {
                    throw error(text, "the '{' at position " + (i + 1) + " is never closed (write '{{' for a"
                            + " literal brace)");
                }
                String name = text.substring(i + 1, close).strip();
                if (name.isEmpty()) {
                    throw error(text, "an empty slot '{}' at position " + (i + 1) + "; name a field, e.g. {text}");
                }
                parts.add(literal.toString());
                parts.add(name);
                literal.setLength(0);
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        parts.add(literal.toString());
        return new Template(text, Collections.unmodifiableList(parts));
    }

    private static PromptTuneException error(String text, String problem) {
        return new PromptTuneException("template '" + text + "': " + problem);
    }

    /** The template text as given. */
    public String text() {
        return text;
    }

    /** The slot names, each once, in order of first appearance. */
    public List<String> slots() {
        return slots;
    }

    /**
     * Whether the example has nothing in any of this template's slots (each missing, empty or blank), so the model
     * reads only the template's own words: a training split says so in a warning, and so does predict.
     */
    public boolean readsNothingOf(Example example) {
        return slots().stream().allMatch(slot -> example.get(slot) == null || example.get(slot).isBlank());
    }

    /**
     * The template with every slot replaced by the example's field.
     *
     * @throws PromptTuneException naming the missing slot, the example's location and the fields it has
     */
    public String render(Example example) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                String name = parts.get(i);
                String value = example.get(name);
                if (value == null && example.nulls().contains(name)) {
                    throw new PromptTuneException("template slot '{" + name + "}': field '" + name + "' is null in "
                            + example.location() + "; it needs a string value (template '" + text + "')");
                }
                if (value == null) {
                    throw new PromptTuneException("template slot '{" + name + "}' has no field in "
                            + example.location() + "; its fields are: " + example.fieldNames() + " (template '"
                            + text + "')");
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
