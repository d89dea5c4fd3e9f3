package dev.prompttune.core.io;

import dev.prompttune.core.PromptTuneException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reading user files as UTF-8 text without silently replacing bad bytes. A file that is not text at all (compressed,
 * an archive, a workbook, UTF-16) is named as what it is ({@link NotText}), not as a bad byte at offset 1.
 */
public final class Utf8Text {

    private Utf8Text() {}

    /**
     * {@code bytes} as UTF-8 text, strictly: a bad byte is an error naming {@code source}, its line and byte offset
     * (data files, scripts).
     */
    public static String decode(byte[] bytes, String source) {
        String binary = NotText.describe(bytes);
        if (binary != null) {
            throw new PromptTuneException(source + ": " + binary);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new PromptTuneException(source + ":" + lineAt(bytes, in.position()) + ": not valid UTF-8 (byte offset "
                    + in.position() + "); save the file as UTF-8");
        }
        int nul = NotText.indexOfNul(bytes, bytes.length);
        if (nul >= 0) {
            // Valid UTF-8 otherwise: a stray NUL (a damaged line, a field pasted from a binary source), not a binary file.
            throw new PromptTuneException(source + ":" + lineAt(bytes, nul) + ": holds a NUL byte (byte offset " + nul
                    + "), which text never holds; allowed: UTF-8 text without NUL bytes (remove them, e.g. "
                    + "tr -d '\\000' < FILE > FIXED)");
        }
        out.flip();
        return out.toString();
    }

    /** The line (from 1) of byte {@code offset}. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
