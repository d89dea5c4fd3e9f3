package dev.prompttune.tools.tokenizer;

import java.util.HashMap;

/**
 * A Unigram vocabulary while it is trained: pieces, their log-probability scores, which are required (single
 * characters), and an index by piece text; plus the rule for where a piece may start and end (no piece spans two
 * scripts, digits stay apart, the word-boundary marker only begins a piece).
 */
final class UnigramModel {

    final String[] pieces;
    final double[] scores;
    final boolean[] required;
    final HashMap<String, Integer> index;

    UnigramModel(String[] pieces, double[] scores, boolean[] required) {
        this.pieces = pieces;
        this.scores = scores;
        this.required = required;
        this.index = new HashMap<>(pieces.length * 2);
        for (int i = 0; i < pieces.length; i++) {
            index.put(pieces[i], i);
        }
    }

    int size() {
        return pieces.length;
    }


    /** Character class for script boundaries: digits, letters by script (CJK as one), everything else common. */
    static int charClass(int cp) {
        if (Character.isDigit(cp)) {
            return -2;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return switch (s) {
            case HAN, HIRAGANA, KATAKANA -> Character.UnicodeScript.HAN.ordinal();
            case INHERITED -> -3; // combining marks join the previous character's class
            default -> s.ordinal();
        };
    }

    /** The longest valid piece length starting at {@code i} (up to {@code max}). */
    static int maxLengthAt(int[] t, int i, int max) {
        int meta = TextNormalizer.META.codePointAt(0);
        int cls = Integer.MIN_VALUE;
        int len = 0;
        for (int j = i; j < t.length && len < max; j++, len++) {
            int cp = t[j];
            if (cp == meta) {
                if (j != i) {
                    break;
                }
                continue;
            }
            int c = charClass(cp);
            if (c == -3) {
                continue;
            }
            if (cls == Integer.MIN_VALUE) {
                cls = c;
            } else if (c != cls) {
                break;
            }
        }
        return len;
    }
}
