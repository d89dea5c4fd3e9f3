package dev.prompttune.core.io;

/**
 * Recognises files that are not UTF-8 text by their first bytes (their "magic numbers"): what a user most often hands
 * over instead of a .jsonl, .csv or .tsv file, or a script. Each gets a sentence saying what it is and what to do.
 */
final class NotText {

    private NotText() {}

    /** What {@code bytes} are and what to do instead, or null when they may be UTF-8 text. */
    static String describe(byte[] bytes) {
        if (startsWith(bytes, 0x1f, 0x8b)) {
            return compressed("gzip", "gunzip -k FILE");
        }
        if (startsWith(bytes, 'B', 'Z', 'h') && bytes.length > 3 && bytes[3] >= '1' && bytes[3] <= '9') {
            return compressed("bzip2", "bunzip2 -k FILE");
        }
        if (startsWith(bytes, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return compressed("xz", "unxz -k FILE");
        }
        if (startsWith(bytes, 0x28, 0xb5, 0x2f, 0xfd)) {
            return compressed("zstd", "unzstd FILE");
        }
        if (startsWith(bytes, 'P', 'K', 0x03, 0x04)) {
            return "is a zip archive (an .xlsx or .ods workbook is one too), not text; unzip it and give the file inside,"
                    + " or export the sheet as CSV (UTF-8); allowed: UTF-8 text";
        }
        if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
            return "is an Excel 97-2003 workbook (.xls), not text; export the sheet as CSV (UTF-8); allowed: UTF-8 text";
        }
        if (startsWith(bytes, 'P', 'A', 'R', '1') && bytes.length >= 8 && bytes[bytes.length - 4] == 'P'
                && bytes[bytes.length - 3] == 'A' && bytes[bytes.length - 2] == 'R' && bytes[bytes.length - 1] == '1') {
            return "is a Parquet file, not text; write it out as JSON Lines or CSV; allowed: UTF-8 text";
        }
        if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) {
            return "is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)";
        }
        int nul = indexOfNul(bytes, 4096);
        if (nul >= 0 && nulsIn(bytes, 4096) * 16 > Math.min(bytes.length, 4096)) {
            // UTF-16 holds a NUL in every other byte of Latin text, a binary file many; a stray NUL in text is said
            // at its line ({@link Utf8Text#decode}).
            return "holds a NUL byte at byte offset " + nul + ": a binary file, or UTF-16 text without a byte-order"
                    + " mark; allowed: UTF-8 text";
        }
        return null;
    }

    private static int nulsIn(byte[] bytes, int limit) {
        int n = 0;
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            n += bytes[i] == 0 ? 1 : 0;
        }
        return n;
    }

    private static String compressed(String kind, String command) {
        return "is " + kind + "-compressed, not text; decompress it first (" + command + ") and give the file inside;"
                + " allowed: UTF-8 text";
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first NUL among the first {@code limit} bytes, or -1: text never holds one. */
    static int indexOfNul(byte[] bytes, int limit) {
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
