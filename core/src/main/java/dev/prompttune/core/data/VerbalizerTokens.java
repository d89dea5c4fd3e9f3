package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The verbalizer's words as a model's tokenizer sees them, checked before anything is scored: rank classification
 * compares the classes' token sequences, so two words that become the same tokens (" spam" and "spam"; two emoji
 * that both become {@code <unk>}) give every example tied scores and a meaningless accuracy, and a word with a token
 * the tokenizer does not know ({@code <unk>}) scores a placeholder, not the word.
 */
public final class VerbalizerTokens {

    private VerbalizerTokens() {}

    /**
     * Each class's target ids ({@code tokenizer.encode(word)}, eos included), after checking them.
     *
     * @param maxTargetLength the spec's maxTargetLength: training targets are cut to it, while ranking scores the
     *        whole word, so a word longer than it would be trained on a fragment (two words that share their first
     *        tokens, on the same fragment)
     * @throws PromptTuneException naming the label, its word and the tokens, when a word has an unknown token, is
     *         longer than {@code maxTargetLength}, or two classes' words become the same tokens
     */
    public static long[][] of(Verbalizer verbalizer, T5Tokenizer tokenizer, int maxTargetLength) {
        List<String> labels = verbalizer.labels();
        List<String> words = verbalizer.targets();
        long[][] ids = new long[words.size()][];
        for (int c = 0; c < ids.length; c++) {
            ids[c] = tokenizer.encode(words.get(c));
        }
        for (int c = 0; c < ids.length; c++) {
            if (Arrays.stream(ids[c]).anyMatch(id -> id == tokenizer.unkId())) {
                throw new PromptTuneException("the verbalizer word '" + words.get(c) + "' for label '" + labels.get(c)
                        + "' has characters the model's tokenizer does not know: it becomes " + pieces(ids[c], tokenizer)
                        + ", and " + tokenizer.idToToken(tokenizer.unkId()) + " is a placeholder the model cannot "
                        + "score as that word; use a word made of characters the tokenizer knows");
            }
            if (ids[c].length > maxTargetLength) {
                throw new PromptTuneException("maxTargetLength is " + maxTargetLength + ", shorter than the verbalizer "
                        + "word '" + words.get(c) + "' for label '" + labels.get(c) + "' (" + pieces(ids[c], tokenizer)
                        + ": " + ids[c].length + " tokens with eos); allowed: maxTargetLength >= "
                        + Arrays.stream(ids).mapToInt(r -> r.length).max().orElse(1) + " for these label words, or "
                        + "shorter words");
            }
            for (int other = 0; other < c; other++) {
                if (Arrays.equals(ids[other], ids[c])) {
                    throw new PromptTuneException("the verbalizer words '" + words.get(other) + "' (label '"
                            + labels.get(other) + "') and '" + words.get(c) + "' (label '" + labels.get(c) + "') become "
                            + "the same tokens " + pieces(ids[c], tokenizer) + " for the model's tokenizer, so the "
                            + "classes cannot be told apart; use words that become different tokens");
                }
            }
        }
        return ids;
    }

    /** The tokens as the tokenizer names them: {@code [▁spam, </s>]}. */
    static String pieces(long[] ids, T5Tokenizer tokenizer) {
        List<String> out = new ArrayList<>();
        for (long id : ids) {
            out.add(tokenizer.idToToken(id));
        }
        return out.toString();
    }
}
