package dev.prompttune.tools.pretrain.mix;

import java.util.List;

/**
 * A window of one pretraining document: the unit the promptability mixture classifies.
 *
 * @param document index of the document in the corpus (documents are separated by empty lines)
 * @param words the passage's words as written (white-space separated), at most {@link Passages#MAX_WORDS}
 */
public record Passage(int document, List<String> words) {

    /** The passage as one line of text. */
    public String text() {
        return String.join(" ", words);
    }
}
