package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerbalizerTest {

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Example at(int line, String... kv) {
        return new Example(ordered(kv), "train.jsonl", line);
    }

    @Test
    void mapsLabelsToTargetsInOrder() {
        Verbalizer v = Verbalizer.of(ordered("not_entailment", "no", "entailment", "yes"));
        assertEquals("label", v.labelField());
        assertEquals(List.of("not_entailment", "entailment"), v.labels());
        assertEquals(List.of("no", "yes"), v.targets());
        assertEquals(1, v.classOf(at(1, "label", "entailment")));
        assertEquals("no", v.targetFor(at(1, "label", "not_entailment")));
        assertEquals("yes", v.targetFor("entailment", at(1)));
        assertEquals(1, v.indexOfTarget("yes"));
        assertEquals(-1, v.indexOfTarget("maybe"));
        assertEquals(-1, v.indexOf("maybe"));
        assertFalse(v.isIdentity());
    }

    @Test
    void unknownLabelNamesLabelLocationAndKnownLabels() {
        Verbalizer v = Verbalizer.of(ordered("entailment", "yes", "not_entailment", "no"));
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> v.classOf(at(17, "label", "maybe")));
        assertEquals("unknown label 'maybe' in train.jsonl:17; the verbalizer knows: entailment, not_entailment",
                e.getMessage());
    }

    /** A label that differs from a known one only by case or surrounding spaces names it: the difference is easy to miss. */
    @Test
    void aNearMatchOfAKnownLabelIsNamed() {
        Verbalizer v = Verbalizer.of(ordered("pos", "good", "neg", "bad"));
        assertEquals("unknown label 'Neg' in train.jsonl:5; the verbalizer knows: pos, neg; did you mean 'neg'? (they differ "
                + "only in case)", assertThrows(PromptTuneException.class, () -> v.classOf(at(5, "label", "Neg"))).getMessage());
        assertEquals("unknown label 'pos ' in train.jsonl:6; the verbalizer knows: pos, neg; did you mean 'pos'? (they differ "
                + "only in surrounding spaces)", assertThrows(PromptTuneException.class, () -> v.classOf(at(6, "label", "pos ")))
                .getMessage());
        assertEquals("unknown label 'neutral' in train.jsonl:7; the verbalizer knows: pos, neg", assertThrows(
                PromptTuneException.class, () -> v.classOf(at(7, "label", "neutral"))).getMessage(), "no near match, no guess");
    }

    @Test
    void missingLabelFieldNamesFieldAndFields() {
        Verbalizer v = Verbalizer.of("answer", ordered("0", "no", "1", "yes"));
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> v.classOf(at(3, "question", "q", "label", "1")));
        assertTrue(e.getMessage().contains("train.jsonl:3"), e.getMessage());
        assertTrue(e.getMessage().contains("'answer'"), e.getMessage());
        assertTrue(e.getMessage().contains("question, label"), e.getMessage());
    }

    @Test
    void identityCollectsLabelsInFirstSeenOrder() {
        Verbalizer v = Verbalizer.identityFrom("label", List.of(at(1, "label", "b"), at(2, "label", "a"),
                at(3, "label", "b"), at(4, "label", "c")));
        assertEquals(List.of("b", "a", "c"), v.labels());
        assertEquals(v.labels(), v.targets());
        assertTrue(v.isIdentity());
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> v.classOf(at(9, "label", "d")));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("b, a, c")
                && e.getMessage().contains("training data"), e.getMessage());
    }

    @Test
    void rejectsBadMappings() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> Verbalizer.of(ordered("a", "x", "b", "x")));
        assertTrue(e.getMessage().contains("'a' and 'b'") && e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Verbalizer.of(ordered("a", " ")));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Verbalizer.of(Map.of()));
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
        e = assertThrows(PromptTuneException.class, () -> Verbalizer.of(" ", ordered("a", "x")));
        assertTrue(e.getMessage().contains("label field"), e.getMessage());
        // A blank class name (labels pos: 'yes', neg: 'no', '': 'x') was a class no example could name sensibly.
        e = assertThrows(PromptTuneException.class, () -> Verbalizer.of(ordered("pos", "yes", "", "x")));
        assertEquals("the labels name a class '' (mapped to 'x'); allowed: non-blank label values, as the data's "
                + "label field 'label' holds them", e.getMessage());
    }

    @Test
    void equalityIsOrderSensitive() {
        assertEquals(Verbalizer.of(ordered("0", "no", "1", "yes")), Verbalizer.of(ordered("0", "no", "1", "yes")));
        assertNotEquals(Verbalizer.of(ordered("0", "no", "1", "yes")), Verbalizer.of(ordered("1", "yes", "0", "no")));
        assertNotEquals(Verbalizer.of("y", ordered("0", "no")), Verbalizer.of("label", ordered("0", "no")));
    }
}
