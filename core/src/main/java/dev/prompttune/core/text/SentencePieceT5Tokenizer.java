package dev.prompttune.core.text;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A T5 tokenizer over a sentencepiece model ({@code spiece.model}) through DJL's sentencepiece binding, behaving
 * like Hugging Face's slow {@code T5Tokenizer(vocab_file, extra_ids, legacy=True)}:
 *
 * <ol>
 *   <li>the text of {@code <pad>}, {@code </s>}, {@code <unk>} and {@code <extra_id_N>} is split out of the input
 *       first and mapped to its id (sentinels also eat the whitespace on both sides, as their Hugging Face
 *       {@code AddedToken(lstrip=True, rstrip=True)} does); plain sentencepiece would spell these texts out;</li>
 *   <li>each remaining piece of text is encoded by sentencepiece on its own (legacy mode: every piece gets the
 *       dummy-prefix {@code ▁});</li>
 *   <li>eos is appended unless the ids already end with eos (Hugging Face's {@code _add_eos_if_not_present}: a
 *       text ending in {@code </s>} gets one eos, where {@code T5TokenizerFast} gives two).</li>
 * </ol>
 *
 * <p>The vocabulary is sentencepiece's pieces followed by {@code extraIds} sentinels, highest first:
 * {@code <extra_id_i>} = {@code pieces + extraIds - 1 - i}.
 */
public final class SentencePieceT5Tokenizer implements T5Tokenizer {

    /** A special token found in the input: its text, id and whether it eats whitespace on each side. */
    private record Special(String text, int id, boolean lstrip, boolean rstrip) {}

    private final SpieceModel model;
    private final SpTokenizer native_;
    private final SpProcessor sp;
    private final int extraIds;
    private final int padId;
    private final int eosId;
    private final int unkId;
    /** Special tokens by first character, longest first (the input is matched leftmost-longest). */
    private final Map<Character, List<Special>> specialsByFirstChar = new HashMap<>();
    private final boolean[] isSpecial;
    /** DJL's SpProcessor frees its handle on every close() call: close it once, and never use it after. */
    private boolean closed;

    private SentencePieceT5Tokenizer(SpieceModel model, SpTokenizer nativeTokenizer, int extraIds, String source) {
        this.model = model;
        this.native_ = nativeTokenizer;
        this.sp = nativeTokenizer.getProcessor();
        this.extraIds = extraIds;
        this.padId = requirePiece(model, TokenizerSupport.PAD, source);
        this.eosId = requirePiece(model, TokenizerSupport.EOS, source);
        this.unkId = requirePiece(model, TokenizerSupport.UNK, source);

        List<Special> specials = new ArrayList<>();
        specials.add(new Special(TokenizerSupport.PAD, padId, false, false));
        specials.add(new Special(TokenizerSupport.EOS, eosId, false, false));
        specials.add(new Special(TokenizerSupport.UNK, unkId, false, false));
        for (int i = 0; i < extraIds; i++) {
            specials.add(new Special(TokenizerSupport.sentinel(i), sentinelIdUnchecked(i), true, true));
        }
        isSpecial = new boolean[vocabSize()];
        for (Special s : specials) {
            specialsByFirstChar.computeIfAbsent(s.text().charAt(0), c -> new ArrayList<>()).add(s);
            isSpecial[s.id()] = true;
        }
        specialsByFirstChar.values().forEach(l -> l.sort(Comparator.comparingInt((Special s) -> s.text().length()).reversed()));
    }

    /** Loads {@code spiece.model} with Hugging Face's default of 100 sentinels. */
    public static SentencePieceT5Tokenizer load(Path spieceModel) {
        return load(spieceModel, TokenizerSupport.DEFAULT_EXTRA_IDS);
    }

    /**
     * Loads {@code spiece.model} with {@code extraIds} sentinels appended to its vocabulary.
     *
     * @throws PromptTuneException naming the file if it is missing or not a valid sentencepiece model
     */
    public static SentencePieceT5Tokenizer load(Path spieceModel, int extraIds) {
        if (extraIds < 0) {
            throw new PromptTuneException("extra_ids must be >= 0, got " + extraIds + " (for " + spieceModel + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(spieceModel);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read sentencepiece model " + spieceModel + ": " + PathProblems.describe(spieceModel, e), e);
        }
        String source = spieceModel.toString();
        SpieceModel model = SpieceModel.parse(bytes, source);
        SpTokenizer nativeTokenizer;
        try {
            nativeTokenizer = new SpTokenizer(bytes);
        } catch (RuntimeException e) { // DJL's EngineException with sentencepiece's status message
            throw SpieceModel.notValid(source, "sentencepiece: " + TokenizerSupport.reason(e));
        }
        try {
            return new SentencePieceT5Tokenizer(model, nativeTokenizer, extraIds, source);
        } catch (RuntimeException e) {
            nativeTokenizer.close();
            throw e;
        }
    }

    private static int requirePiece(SpieceModel model, String piece, String source) {
        int id = model.pieceId(piece);
        if (id < 0) {
            throw new PromptTuneException(source + " has no " + piece
                    + " piece: a T5 tokenizer needs <pad>, </s> and <unk> in its vocabulary");
        }
        return id;
    }

    /** The parsed model (pieces, scores, normalizer), e.g. to convert it with {@link SpieceToTokenizerJson}. */
    public SpieceModel model() {
        return model;
    }

    @Override
    public long[] encode(String text, boolean addEos) {
        checkOpen();
        List<Object> chunks = splitSpecials(text);
        long[] out = new long[16];
        int n = 0;
        for (Object chunk : chunks) {
            if (chunk instanceof Special s) {
                out = grow(out, n + 1);
                out[n++] = s.id();
            } else {
                String piece = (String) chunk;
                if (piece.isEmpty()) {
                    continue;
                }
                int[] ids = sp.encode(piece);
                out = grow(out, n + ids.length);
                for (int id : ids) {
                    out[n++] = id;
                }
            }
        }
        if (addEos && (n == 0 || out[n - 1] != eosId)) {
            out = grow(out, n + 1);
            out[n++] = eosId;
        }
        return Arrays.copyOf(out, n);
    }

    private static long[] grow(long[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }

    /**
     * Splits {@code text} into plain strings and {@link Special}s (Hugging Face's added-token trie split, then the
     * lstrip/rstrip of the tokens that have them).
     */
    private List<Object> splitSpecials(String text) {
        List<Object> chunks = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            Special hit = null;
            List<Special> candidates = specialsByFirstChar.get(text.charAt(i));
            if (candidates != null) {
                for (Special s : candidates) {
                    if (text.startsWith(s.text(), i)) {
                        hit = s;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            chunks.add(text.substring(start, i));
            chunks.add(hit);
            i += hit.text().length();
            start = i;
        }
        chunks.add(text.substring(start));
        for (int k = 0; k < chunks.size(); k++) {
            if (chunks.get(k) instanceof Special s) {
                if (s.rstrip() && k + 1 < chunks.size() && chunks.get(k + 1) instanceof String right) {
                    chunks.set(k + 1, stripLeading(right));
                }
                if (s.lstrip() && k > 0 && chunks.get(k - 1) instanceof String left) {
                    chunks.set(k - 1, stripTrailing(left));
                }
            }
        }
        return chunks;
    }

    private static String stripLeading(String s) {
        int b = 0;
        while (b < s.length() && TokenizerSupport.isPythonSpace(s.charAt(b))) {
            b++;
        }
        return s.substring(b);
    }

    private static String stripTrailing(String s) {
        int e = s.length();
        while (e > 0 && TokenizerSupport.isPythonSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(0, e);
    }

    /**
     * Decodes like the slow tokenizer: runs of ordinary ids through sentencepiece, special tokens (when not
     * skipped) as their text glued to the text before them, the result stripped.
     */
    @Override
    public String decode(long[] ids, boolean skipSpecial) {
        checkOpen();
        int vocab = vocabSize();
        StringBuilder out = new StringBuilder();
        int[] run = new int[ids.length];
        int runLength = 0;
        boolean prevSpecial = false;
        for (long id : ids) {
            TokenizerSupport.checkId(id, vocab);
            if (isSpecial[(int) id]) {
                if (skipSpecial) {
                    continue;
                }
                if (!prevSpecial) {
                    out.append(' ');
                }
                out.append(decodeRun(run, runLength)).append(idToToken(id));
                runLength = 0;
                prevSpecial = true;
            } else {
                run[runLength++] = (int) id;
                prevSpecial = false;
            }
        }
        out.append(decodeRun(run, runLength));
        return out.toString().strip();
    }

    private String decodeRun(int[] run, int length) {
        return length == 0 ? "" : sp.decode(Arrays.copyOf(run, length));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this tokenizer is closed");
        }
    }

    @Override
    public int vocabSize() {
        return model.size() + extraIds;
    }

    @Override
    public long padId() {
        return padId;
    }

    @Override
    public long eosId() {
        return eosId;
    }

    @Override
    public long unkId() {
        return unkId;
    }

    @Override
    public long sentinelId(int n) {
        TokenizerSupport.checkSentinel(n, extraIds);
        return sentinelIdUnchecked(n);
    }

    private int sentinelIdUnchecked(int n) {
        return model.size() + extraIds - 1 - n;
    }

    @Override
    public int sentinelCount() {
        return extraIds;
    }

    @Override
    public String idToToken(long id) {
        TokenizerSupport.checkId(id, vocabSize());
        if (id < model.size()) {
            return model.pieces().get((int) id).text();
        }
        return TokenizerSupport.sentinel(model.size() + extraIds - 1 - (int) id);
    }

    @Override
    public long tokenToId(String token) {
        int n = TokenizerSupport.sentinelIndex(token);
        if (n >= 0 && n < extraIds) {
            return sentinelIdUnchecked(n);
        }
        int id = model.pieceId(token);
        return id < 0 ? unkId : id;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            native_.close();
        }
    }
}
