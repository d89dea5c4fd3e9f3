package dev.prompttune.tools.corpus;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/** Small text helpers shared by the corpus converters. All deterministic. */
final class Texts {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private Texts() {}

    /** NFKC, every run of whitespace one space, no control characters, stripped. */
    static String clean(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                b.append(' ');
            } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || type == Character.SURROGATE || cp == 0x2581 || cp == 0xFFFD) {
                // dropped: control, format (zero-width), unassigned, private use, the metaspace mark, replacement
                continue;
            } else {
                b.appendCodePoint(cp);
            }
        }
        return WHITESPACE.matcher(b).replaceAll(" ").strip();
    }

    /** Whitespace-separated words of a cleaned text. */
    static String[] words(String cleaned) {
        return cleaned.isEmpty() ? new String[0] : cleaned.split(" ");
    }

    static int wordCount(String cleaned) {
        return words(cleaned).length;
    }

    /** The first {@code max} words of a cleaned text. */
    static String firstWords(String cleaned, int max) {
        String[] w = words(cleaned);
        if (w.length <= max) {
            return cleaned;
        }
        return String.join(" ", java.util.Arrays.copyOf(w, max));
    }

    /** A key for duplicate detection: lower case letters and digits only, single-spaced. */
    static String key(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(n.length());
        boolean space = false;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (space && b.length() > 0) {
                    b.append(' ');
                }
                space = false;
                b.appendCodePoint(cp);
            } else {
                space = true;
            }
        }
        return b.toString();
    }

    /** Fraction of letters that are ASCII (1 when there are no letters). */
    static double asciiLetterFraction(String s) {
        int letters = 0;
        int ascii = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                if (cp < 128) {
                    ascii++;
                }
            }
        }
        return letters == 0 ? 1.0 : (double) ascii / letters;
    }

    private static final java.util.Set<String> ENGLISH_FUNCTION_WORDS = java.util.Set.of(
            "the", "of", "and", "to", "in", "is", "that", "for", "it", "you", "with", "on", "as", "are", "be",
            "this", "was", "have", "or", "at", "not", "your", "by", "from", "we", "an", "but", "they", "he", "she",
            "i", "my", "if", "will", "can", "all", "has", "there", "what", "our", "his", "which", "would");

    /**
     * Whether a text reads as English: mostly ASCII letters and, from 10 words on (not counting URLs and
     * addresses), at least 6% English function words (the, of, and, to, ...).
     */
    static boolean looksEnglish(String s) {
        if (asciiLetterFraction(s) < 0.9) {
            return false;
        }
        int words = 0;
        int hits = 0;
        for (String token : s.split("\\s+")) {
            if (token.contains("://") || token.contains("www.") || token.contains("@") || token.contains("/")) {
                continue;
            }
            for (String w : key(token).split(" ")) {
                if (w.isEmpty()) {
                    continue;
                }
                words++;
                if (ENGLISH_FUNCTION_WORDS.contains(w)) {
                    hits++;
                }
            }
        }
        return words < 10 || hits >= 0.06 * words;
    }

    /** Fraction of characters that are letters or spaces (low for code, tables, ASCII art). */
    static double letterFraction(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int good = 0;
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            n++;
            if (Character.isLetter(cp) || cp == ' ') {
                good++;
            }
        }
        return (double) good / n;
    }

    /** A generator for ({@code seed}, {@code stream}), decorrelated by a SplitMix64 finaliser. */
    static Random random(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /** A shuffled copy (Fisher-Yates with {@code random}). */
    static <T> List<T> shuffled(List<T> items, Random random) {
        List<T> copy = new ArrayList<>(items);
        java.util.Collections.shuffle(copy, random);
        return copy;
    }
}
