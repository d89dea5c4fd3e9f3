package dev.prompttune.core.text;

/**
 * A T5 tokenizer with T5's conventions, matching Hugging Face's {@code T5Tokenizer} / {@code T5TokenizerFast}:
 *
 * <ul>
 *   <li>{@code <pad>} = 0, {@code </s>} (eos) = 1, {@code <unk>} = 2 in T5's vocabularies (read from the files,
 *       not assumed);</li>
 *   <li>{@link #encode(String)} appends eos; empty or whitespace-only text gives {@code [eos]};</li>
 *   <li>the text of a special token in the input ({@code </s>}, {@code <pad>}, {@code <unk>},
 *       {@code <extra_id_3>}) becomes that token's id, as in Hugging Face (plain sentencepiece would spell it
 *       out);</li>
 *   <li>sentinels {@code <extra_id_N>} count down from the top of the vocabulary: {@code <extra_id_0>} is the last
 *       id.</li>
 * </ul>
 *
 * <p>Implementations hold native resources: close them. Not thread-safe.
 *
 * @see T5Tokenizers#load(java.nio.file.Path)
 */
public interface T5Tokenizer extends AutoCloseable {

    /** Token ids of {@code text} followed by eos. */
    default long[] encode(String text) {
        return encode(text, true);
    }

    /** Token ids of {@code text}, followed by eos when {@code addEos}. Never truncates. */
    long[] encode(String text, boolean addEos);

    /**
     * Text of {@code ids}, dropping pad, eos, unk and sentinels wherever they are (Hugging Face's
     * {@code skip_special_tokens=True}).
     *
     * @throws dev.prompttune.core.PromptTuneException if an id is outside {@code [0, vocabSize())}
     */
    default String decode(long[] ids) {
        return decode(ids, true);
    }

    /**
     * Text of {@code ids}; with {@code skipSpecial} false, special tokens appear as their text
     * ({@code </s>}, {@code <extra_id_0>}), spaced as the implementation's Hugging Face counterpart spaces them
     * (the slow tokenizer writes {@code "x <unk>"} where the fast one writes {@code "x<unk>"}).
     *
     * @throws dev.prompttune.core.PromptTuneException if an id is outside {@code [0, vocabSize())}
     */
    String decode(long[] ids, boolean skipSpecial);

    /** Number of ids, sentinels included (ids are {@code 0 .. vocabSize() - 1}). */
    int vocabSize();

    long padId();

    long eosId();

    long unkId();

    /**
     * The id of {@code <extra_id_n>}.
     *
     * @throws dev.prompttune.core.PromptTuneException if {@code n} is not in {@code [0, sentinelCount())}
     */
    long sentinelId(int n);

    /** Number of {@code <extra_id_N>} sentinels (100 for the released T5 tokenizers). */
    int sentinelCount();

    /**
     * The vocabulary entry of {@code id} (a sentencepiece piece such as {@code ▁the}, or a special token's text).
     *
     * @throws dev.prompttune.core.PromptTuneException if {@code id} is outside {@code [0, vocabSize())}
     */
    String idToToken(long id);

    /** The id of a vocabulary entry, or {@link #unkId()} if there is none (as Hugging Face's tokenizers do). */
    long tokenToId(String token);

    /** Releases the native tokenizer. */
    @Override
    void close();
}
