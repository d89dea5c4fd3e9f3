package dev.prompttune.tools.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.text.SpieceModel;
import dev.prompttune.core.text.SpieceModel.Piece;
import dev.prompttune.core.text.SpieceToTokenizerJson;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.ToolArgs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Trains prompttune's own T5-style tokenizer and writes it as a Hugging Face {@code tokenizer.json} (Unigram
 * model) with a {@code tokenizer_config.json}, loadable by {@link T5Tokenizers#load(Path)}.
 *
 * <p>T5's conventions: {@code <pad>} = 0, {@code </s>} = 1, {@code <unk>} = 2, then the trained pieces by
 * descending score (frequent pieces have low ids), then {@code extraIds} sentinels with {@code <extra_id_0>} the
 * last id. The vocabulary size counts everything, sentinels included (8,000 = 3 + 7,897 pieces + 100 sentinels).
 * Normalisation is {@link TextNormalizer} (NFKC, white space collapsed and stripped); pre-tokenization is T5's
 * metaspace ({@code ▁} before every word).
 *
 * <pre>
 * java -cp ... dev.prompttune.tools.tokenizer.TokenizerTrainer CORPUS OUT_DIR [VOCAB_SIZE [EXTRA_IDS]]
 * </pre>
 * CORPUS is UTF-8 text ({@code .gz} allowed), one paragraph or sentence a line.
 */
public final class TokenizerTrainer {

    public static final int DEFAULT_VOCAB_SIZE = 8000;
    public static final int DEFAULT_EXTRA_IDS = 100;
    public static final String PAD = "<pad>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    private static final int SPECIALS = 3;
    private static final int MIN_PIECES = 300;
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .create();

    private TokenizerTrainer() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: TokenizerTrainer CORPUS OUT_DIR [VOCAB_SIZE [EXTRA_IDS]]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int extraIds = args.length > 3 ? ToolArgs.integer("EXTRA_IDS", args[3], 0) : DEFAULT_EXTRA_IDS;
        int vocabSize = args.length > 2 ? ToolArgs.integer("VOCAB_SIZE", args[2], minVocabSize(extraIds)) : DEFAULT_VOCAB_SIZE;
        PathProblems.requireFile(corpus, "corpus");
        // Before training: a folder that cannot be written would fail only once the vocabulary is trained.
        ToolArgs.requireWritableFolder("OUT_DIR", out);
        long t0 = System.nanoTime();
        Map<String, Long> words = countWords(corpus);
        if (words.isEmpty()) {
            throw new PromptTuneException("corpus " + corpus + " has no words; allowed: UTF-8 text, one paragraph or sentence a line");
        }
        UnigramTrainer.Vocabulary v = train(words, vocabSize, extraIds, System.err::println);
        write(v, extraIds, out);
        System.err.printf("wrote %s (%d ids) in %.1f s%n", out.resolve(T5Tokenizers.TOKENIZER_JSON),
                vocabSize, (System.nanoTime() - t0) / 1e9);
    }

    /** Word counts of a corpus file (UTF-8, gzip when the name ends in {@code .gz}). */
    public static Map<String, Long> countWords(Path corpus) throws IOException {
        try (InputStream raw = Files.newInputStream(corpus);
             InputStream in = corpus.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            return UnigramTrainer.countWords(r.lines()::iterator);
        }
    }

    /** Trains a vocabulary of {@code vocabSize} ids in all ({@code vocabSize - 3 - extraIds} trained pieces). */
    public static UnigramTrainer.Vocabulary train(Map<String, Long> words, int vocabSize, int extraIds,
                                                  Consumer<String> log) {
        return train(words, UnigramTrainer.Options.defaults(pieceCount(vocabSize, extraIds)), log);
    }

    public static UnigramTrainer.Vocabulary train(Map<String, Long> words, UnigramTrainer.Options options,
                                                  Consumer<String> log) {
        return new UnigramTrainer(options, log).train(words);
    }

    /** The least vocabulary size with {@code extraIds} sentinels: the specials, the sentinels and 300 trained pieces. */
    public static int minVocabSize(int extraIds) {
        return SPECIALS + extraIds + MIN_PIECES;
    }

    /** Trained pieces in a vocabulary of {@code vocabSize} ids with {@code extraIds} sentinels. */
    public static int pieceCount(int vocabSize, int extraIds) {
        int pieces = vocabSize - SPECIALS - extraIds;
        if (extraIds < 0 || pieces < MIN_PIECES) {
            throw new PromptTuneException("vocabulary size " + vocabSize + " with " + extraIds
                    + " sentinels leaves " + pieces + " trained pieces; allowed: a vocabulary size of at least "
                    + minVocabSize(Math.max(0, extraIds)) + " (" + MIN_PIECES + " trained pieces) and sentinels >= 0");
        }
        return pieces;
    }

    /** The vocabulary as a sentencepiece unigram model: pad 0, eos 1, unk 2, then the pieces. */
    public static SpieceModel toSpieceModel(UnigramTrainer.Vocabulary v) {
        List<Piece> pieces = new ArrayList<>(v.pieces().size() + SPECIALS);
        pieces.add(new Piece(PAD, 0f, Piece.CONTROL));
        pieces.add(new Piece(EOS, 0f, Piece.CONTROL));
        pieces.add(new Piece(UNK, 0f, Piece.UNKNOWN));
        for (int i = 0; i < v.pieces().size(); i++) {
            pieces.add(new Piece(v.pieces().get(i), v.scores()[i], Piece.NORMAL));
        }
        return new SpieceModel(pieces, SpieceModel.UNIGRAM, 2, -1, 1, 0, false,
                new SpieceModel.Normalizer("nfkc_collapse_whitespace", new byte[0], true, true, true));
    }

    /** The {@code tokenizer.json} document: T5's layout with {@link TextNormalizer}'s normaliser. */
    public static JsonObject toTokenizerJson(UnigramTrainer.Vocabulary v, int extraIds) {
        JsonObject json = SpieceToTokenizerJson.toJson(toSpieceModel(v), extraIds);
        json.add("normalizer", TextNormalizer.toJson());
        return json;
    }

    /** {@code tokenizer_config.json}: the tokenizer class, special tokens and the sentinel count. */
    public static JsonObject tokenizerConfig(int extraIds) {
        JsonObject c = new JsonObject();
        c.addProperty("tokenizer_class", "T5Tokenizer");
        c.addProperty("pad_token", PAD);
        c.addProperty("eos_token", EOS);
        c.addProperty("unk_token", UNK);
        c.addProperty("extra_ids", extraIds);
        c.addProperty("model_max_length", 512);
        c.addProperty("clean_up_tokenization_spaces", false);
        c.addProperty("normalization", "NFKC, white space runs to one space, stripped (see tokenizer.json)");
        return c;
    }

    /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}. */
    public static void write(UnigramTrainer.Vocabulary v, int extraIds, Path dir) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(T5Tokenizers.TOKENIZER_JSON), GSON.toJson(toTokenizerJson(v, extraIds)));
            writeAtomically(dir.resolve(T5Tokenizers.TOKENIZER_CONFIG), GSON.toJson(tokenizerConfig(extraIds)));
        } catch (IOException e) {
            throw new PromptTuneException("cannot write the tokenizer to " + dir + ": " + PathProblems.describe(dir, e), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException atomicNotSupported) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
