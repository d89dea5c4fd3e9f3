package dev.prompttune.tools.pretrain;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.text.T5Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A pretraining corpus as one token stream, cut into fixed-length chunks, as T5 packs C4
 * ({@code reduce_concat_tokens} then {@code split_tokens}): every non-empty line (a paragraph) is tokenized without
 * eos and appended to the stream; chunks are consecutive, non-overlapping runs of {@code length} tokens (the
 * incomplete tail is dropped). A chunk may therefore span paragraphs and documents, as in T5.
 *
 * <pre>{@code
 * PretrainCorpus corpus = PretrainCorpus.read(Path.of("data/corpus/pretrain.txt.gz"), tokenizer);
 * int n = corpus.chunkCount(128);
 * long[] first = corpus.chunk(0, 128);   // 128 ids, no eos
 * }</pre>
 */
public final class PretrainCorpus {

    private final int[] tokens;
    private final int paragraphs;

    private PretrainCorpus(int[] tokens, int paragraphs) {
        this.tokens = tokens;
        this.paragraphs = paragraphs;
    }

    /** Wraps an existing token stream. */
    public static PretrainCorpus of(int[] tokens) {
        return new PretrainCorpus(tokens.clone(), 0);
    }

    /** Reads a UTF-8 text file (gzipped if its name ends in {@code .gz}), one paragraph a line, and tokenizes it. */
    public static PretrainCorpus read(Path file, T5Tokenizer tokenizer) {
        int[] buffer = new int[1 << 20];
        int size = 0;
        int paragraphs = 0;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                long[] ids = tokenizer.encode(line, false);
                if (size + ids.length > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + ids.length));
                }
                for (long id : ids) {
                    buffer[size++] = (int) id;
                }
                paragraphs++;
            }
        } catch (IOException e) {
            throw new PromptTuneException("cannot read the corpus " + file + ": " + PathProblems.describe(file, e), e);
        }
        return new PretrainCorpus(Arrays.copyOf(buffer, size), paragraphs);
    }

    /** Tokens in the stream. */
    public int size() {
        return tokens.length;
    }

    /** Paragraphs read (0 for {@link #of}). */
    public int paragraphs() {
        return paragraphs;
    }

    /** Number of whole chunks of {@code length} tokens. */
    public int chunkCount(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("chunk length must be >= 1, got " + length);
        }
        return tokens.length / length;
    }

    /** Chunk {@code index} of {@code length} tokens (ids as long, no eos). */
    public long[] chunk(int index, int length) {
        if (index < 0 || index >= chunkCount(length)) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount(length));
        }
        long[] out = new long[length];
        int start = index * length;
        for (int i = 0; i < length; i++) {
            out[i] = tokens[start + i];
        }
        return out;
    }
}
