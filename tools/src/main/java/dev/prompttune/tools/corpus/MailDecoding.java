package dev.prompttune.tools.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The byte- and header-level decodings a mail needs: quoted-printable (declared or not), charsets, RFC 2047 words. */
final class MailDecoding {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=");
    private static final Pattern QP_ESCAPE = Pattern.compile("=(20|3D|09|0A|\\r?\n)");

    private MailDecoding() {}

    /** Undeclared quoted-printable: {@code =20}, {@code =3D} or soft line breaks, at least three times. */
    static boolean looksQuotedPrintable(byte[] body) {
        Matcher m = QP_ESCAPE.matcher(new String(body, StandardCharsets.ISO_8859_1));
        int n = 0;
        while (m.find()) {
            if (++n >= 3) {
                return true;
            }
        }
        return false;
    }

    static byte[] decodeQuotedPrintable(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '=') {
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i += 1;
                    continue;
                }
                if (i + 2 < in.length && in[i + 1] == '\r' && in[i + 2] == '\n') {
                    i += 2;
                    continue;
                }
                if (i + 2 < in.length) {
                    int hi = Character.digit(in[i + 1], 16);
                    int lo = Character.digit(in[i + 2], 16);
                    if (hi >= 0 && lo >= 0) {
                        out.write(hi * 16 + lo);
                        i += 2;
                        continue;
                    }
                }
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    static Charset charset(String name) {
        if (name != null) {
            try {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (n.equals("us-ascii") || n.equals("iso-8859-1") || n.equals("latin1")) {
                    return Charset.forName("windows-1252"); // as mail clients read them
                }
                if (Charset.isSupported(n)) {
                    return Charset.forName(n);
                }
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        return Charset.forName("windows-1252");
    }

    /** RFC 2047 encoded words in a header. */
    static String decodeWords(String header) {
        Matcher m = ENCODED_WORD.matcher(header.replaceAll("\\?=\\s+=\\?", "?==?"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String text;
            byte[] bytes;
            try {
                if (m.group(2).equalsIgnoreCase("b")) {
                    bytes = Base64.getDecoder().decode(m.group(3));
                } else {
                    bytes = decodeQuotedPrintable(m.group(3).replace('_', ' ').getBytes(StandardCharsets.ISO_8859_1));
                }
                text = new String(bytes, charset(m.group(1)));
            } catch (IllegalArgumentException e) {
                text = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
