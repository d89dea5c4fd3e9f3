package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static Example example(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Example(m, "train.jsonl", 17);
    }

    @Test
    void rendersSlots() {
        Template t = Template.of("premise: {premise} hypothesis: {hypothesis}");
        assertEquals(List.of("premise", "hypothesis"), t.slots());
        assertEquals("premise: A cat. hypothesis: An animal.",
                t.render(example("premise", "A cat.", "hypothesis", "An animal.", "label", "1")));
    }

    @Test
    void slotsAreDistinctTrimmedAndInOrder() {
        Template t = Template.of("{ b }{a} and {b} again");
        assertEquals(List.of("b", "a"), t.slots());
        assertEquals("21 and 2 again", t.render(example("a", "1", "b", "2")));
    }

    @Test
    void doubledBracesAreLiteral() {
        Template t = Template.of("{{json}} {x} }}{{");
        assertEquals(List.of("x"), t.slots());
        assertEquals("{json} v }{", t.render(example("x", "v")));
        assertEquals("no slots", Template.of("no slots").render(example()));
        assertEquals("{x}", Template.of("{x}").render(example("x", "{x}")), "values are not re-expanded");
    }

    @Test
    void missingSlotNamesSlotLocationAndFields() {
        Template t = Template.of("premise: {premise} hypothesis: {hypothesis}");
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> t.render(example("premise", "p", "label", "1")));
        String m = e.getMessage();
        assertTrue(m.contains("'{hypothesis}'"), m);
        assertTrue(m.contains("train.jsonl:17"), m);
        assertTrue(m.contains("premise, label"), m);
    }

    @Test
    void parseErrorsNameTheTemplate() {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> Template.of("text: {text"));
        assertTrue(e.getMessage().contains("template 'text: {text'"), e.getMessage());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Template.of("a {b {c}"));
        assertTrue(e.getMessage().contains("position 3"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Template.of("a } b"));
        assertTrue(e.getMessage().contains("lone '}'") && e.getMessage().contains("'}}'"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Template.of("x { } y"));
        assertTrue(e.getMessage().contains("empty slot"), e.getMessage());
    }

    @Test
    void equalityByText() {
        assertEquals(Template.of("{a}"), Template.of("{a}"));
        assertEquals(Template.of("{a}").hashCode(), Template.of("{a}").hashCode());
        assertNotEquals(Template.of("{a}"), Template.of("{ a }"));
    }
}
