package dev.prompttune.tools.pretrain.mix;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The pretraining corpus cut into passages of the size the evaluation tasks classify (an e-mail's subject and
 * opening, a 60–100-word Brown passage, a fortune): each document (paragraphs up to an empty line) becomes
 * consecutive windows of at most {@value #MAX_WORDS} words, at most {@value #MAX_PER_DOCUMENT} of them, so the
 * 392 long Brown samples do not outnumber the 14,000 fortunes by words alone. A last window shorter than
 * {@value #MIN_WORDS} words is dropped unless it is the whole document.
 */
public final class Passages {

    public static final int MAX_WORDS = 80;
    public static final int MIN_WORDS = 20;
    public static final int MAX_PER_DOCUMENT = 8;

    private Passages() {}

    /** Reads {@code corpus} (UTF-8, gzipped if it ends in .gz; one paragraph a line, documents split by empty lines). */
    public static List<Passage> read(Path corpus) {
        List<Passage> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int document = 0;
        try (InputStream raw = Files.newInputStream(corpus);
             InputStream in = corpus.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    if (!words.isEmpty()) {
                        cut(document++, words, out);
                        words = new ArrayList<>();
                    }
                    continue;
                }
                words.addAll(Arrays.asList(line.trim().split("\\s+")));
            }
            if (!words.isEmpty()) {
                cut(document, words, out);
            }
        } catch (IOException e) {
            throw new PromptTuneException("cannot read the corpus " + corpus + ": " + PathProblems.describe(corpus, e), e);
        }
        return out;
    }

    /** Windows of one document's words. */
    static void cut(int document, List<String> words, List<Passage> out) {
        int windows = 0;
        for (int from = 0; from < words.size() && windows < MAX_PER_DOCUMENT; from += MAX_WORDS) {
            int to = Math.min(words.size(), from + MAX_WORDS);
            if (to - from < MIN_WORDS && from > 0) {
                break;
            }
            out.add(new Passage(document, List.copyOf(words.subList(from, to))));
            windows++;
        }
    }

    /** The {@link #normalize normalised} forms of {@code text}'s white-space separated words, each once. */
    public static java.util.Set<String> normalizedWords(String text) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String w : text.split("\\s+")) {
            out.add(normalize(w));
        }
        return out;
    }

    /** Lower-case letters-only form of a word ("Money!" → "money"; "" when it has no letters). */
    public static String normalize(String word) {
        StringBuilder s = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString();
    }
}
