package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verbalizer words that a model's tokenizer cannot tell apart, or cannot spell, are refused by name (the fixtures' T5 tokenizer). */
class VerbalizerTokensTest {

    private static Verbalizer of(String... labelWord) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labelWord.length; i += 2) {
            m.put(labelWord[i], labelWord[i + 1]);
        }
        return Verbalizer.of(m);
    }

    @Test
    void distinctKnownWordsGiveTheirOwnTokens() {
        try (T5Tokenizer t = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            long[][] ids = VerbalizerTokens.of(of("0", "no", "1", "yes", "2", "Yes"), t, 16);
            assertArrayEquals(t.encode("no"), ids[0]);
            assertArrayEquals(t.encode("yes"), ids[1]);
            assertFalse(Arrays.equals(ids[1], ids[2]), "case is kept apart by the tokenizer, so it is allowed");
        }
    }

    @Test
    void wordsThatBecomeTheSameTokensAreRefused() {
        try (T5Tokenizer t = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            assertArrayEquals(t.encode("spam"), t.encode(" spam"), "the premise: a leading space is dropped");
            PromptTuneException e = assertThrows(PromptTuneException.class,
                    () -> VerbalizerTokens.of(of("spam", "spam", "ham", " spam"), t, 16));
            assertTrue(e.getMessage().contains("'spam' (label 'spam') and ' spam' (label 'ham')")
                    && e.getMessage().contains("same tokens " + VerbalizerTokens.pieces(t.encode("spam"), t))
                    && e.getMessage().contains("cannot be told apart"), e.getMessage());
        }
    }

    @Test
    void aWordWithAnUnknownTokenIsRefused() {
        try (T5Tokenizer t = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            assertTrue(Arrays.stream(t.encode("😀")).anyMatch(id -> id == t.unkId()), "the premise: no emoji in T5");
            PromptTuneException e = assertThrows(PromptTuneException.class,
                    () -> VerbalizerTokens.of(of("pos", "good", "neg", "😀"), t, 16));
            assertTrue(e.getMessage().contains("'😀' for label 'neg'") && e.getMessage().contains("<unk>"),
                    e.getMessage());
            // The same emoji on two classes would also tie; the unknown token is named first.
            PromptTuneException both = assertThrows(PromptTuneException.class,
                    () -> VerbalizerTokens.of(of("a", "😀", "b", "😺"), t, 16));
            assertTrue(both.getMessage().contains("label 'a'"), both.getMessage());
            assertEquals(2, of("a", "😀", "b", "😺").size());
        }
    }

    @Test
    void aWordLongerThanMaxTargetLengthIsRefusedWithTheLengthThatFits() {
        try (T5Tokenizer t = T5Tokenizers.load(Fixtures.dir("tokenizer"))) {
            Verbalizer v = of("pos", "very good", "neg", "very bad");
            int good = t.encode("very good").length;
            int longest = Math.max(good, t.encode("very bad").length);
            assertEquals(2, VerbalizerTokens.of(v, t, longest).length, "words that fit are accepted");
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> VerbalizerTokens.of(v, t, good - 1));
            assertTrue(e.getMessage().contains("maxTargetLength is " + (good - 1))
                    && e.getMessage().contains("'very good' for label 'pos'")
                    && e.getMessage().contains("allowed: maxTargetLength >= "), e.getMessage());
        }
    }
}
