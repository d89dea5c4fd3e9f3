package dev.prompttune.tools.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.text.Normalizer;

/**
 * The normalisation of prompttune's own tokenizer, the same in Java (for training, and to state what a round trip
 * gives back) and in the {@code tokenizer.json} it writes (for Hugging Face's tokenizers): Unicode NFKC, every run
 * of white space (the Unicode {@code White_Space} characters, listed explicitly so that both regex engines agree)
 * replaced by one space, leading and trailing space removed. The pre-tokenizer then marks word starts with
 * {@code ▁} (T5's metaspace convention), so {@code decode(encode(s)) == normalize(s)} for text whose characters
 * are all in the vocabulary.
 */
public final class TextNormalizer {

    /** The metaspace mark that stands for a space inside pieces. */
    public static final String META = "\u2581";

    /** Unicode {@code White_Space}: tab, LF, VT, FF, CR, space, NEL, NBSP, ogham space, en quad … ideographic space. */
    static final String WHITE_SPACE_CLASS = "[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F"
            + "\u205F\u3000]+";

    private static final java.util.regex.Pattern WHITE_SPACE = java.util.regex.Pattern.compile(WHITE_SPACE_CLASS);

    private TextNormalizer() {}

    /** NFKC, white space runs to one space, stripped. */
    public static String normalize(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        n = WHITE_SPACE.matcher(n).replaceAll(" ");
        int start = 0;
        int end = n.length();
        while (start < end && n.charAt(start) == ' ') {
            start++;
        }
        while (end > start && n.charAt(end - 1) == ' ') {
            end--;
        }
        return n.substring(start, end);
    }

    /** Whether {@code cp} is one of the white-space characters the normaliser folds into a space. */
    static boolean isWhiteSpace(int cp) {
        return cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == ' ' || cp == 0x85
                || cp == 0xA0 || cp == 0x1680 || cp >= 0x2000 && cp <= 0x200A || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** The {@code normalizer} of {@code tokenizer.json}: {@code Sequence[NFKC, Replace(white space, " "), Strip]}. */
    public static JsonObject toJson() {
        JsonArray steps = new JsonArray();
        JsonObject nfkc = new JsonObject();
        nfkc.addProperty("type", "NFKC");
        steps.add(nfkc);
        JsonObject replace = new JsonObject();
        replace.addProperty("type", "Replace");
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", WHITE_SPACE_CLASS);
        replace.add("pattern", pattern);
        replace.addProperty("content", " ");
        steps.add(replace);
        JsonObject strip = new JsonObject();
        strip.addProperty("type", "Strip");
        strip.addProperty("strip_left", true);
        strip.addProperty("strip_right", true);
        steps.add(strip);
        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        sequence.add("normalizers", steps);
        return sequence;
    }
}
