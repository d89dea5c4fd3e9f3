package dev.prompttune.tools.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of a raw e-mail (RFC 822 with MIME): the Subject header (RFC 2047 encoded words decoded) and
 * the body's text. Other headers are dropped. Multipart messages contribute their {@code text/plain} parts, or
 * their {@code text/html} parts with the markup removed where there is no plain part; attachments and other types
 * are dropped. Quoted-printable and base64 transfer encodings are decoded, and the declared charset applied
 * (windows-1252 where it is missing or unknown). Then lines are cleaned: quoted lines ({@code >}), the signature
 * after {@code "-- "}, lines that look like base64 or uuencoded data, and separator rules are dropped.
 */
final class MailText {

    /** Subject and body paragraphs (each a cleaned single-spaced text). */
    record Mail(String subject, List<String> paragraphs) {
        String body() {
            return String.join(" ", paragraphs);
        }
    }

    private static final Pattern PARAM = Pattern.compile(";\\s*([A-Za-z-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");
    private static final Pattern BASE64_LINE = Pattern.compile("^[A-Za-z0-9+/=]{40,}$");
    private static final Pattern UUENCODE_LINE = Pattern.compile("^M[\\x21-\\x60]{59,61}$");
    private static final Pattern QUOTED_HEADER = Pattern.compile(
            "(?i)(From|Sent|To|Cc|Subject|Date|Reply-To|Message-ID|MIME-Version|Content-[A-Za-z-]+|X-[A-Za-z-]+):\\s");
    private static final Pattern MIME_BOUNDARY = Pattern.compile("^--\\S{8,}$");
    private static final Pattern HTML_IN_PLAIN = Pattern.compile(
            "(?i)<(br|p|div|font|html|body|table|td|a\\s+href)\\b");
    private static final Pattern ANY_TAG = Pattern.compile("(?i)</?[a-z][a-z0-9]*(\\s[^>]*)?>|<!--");
    /** MIME headers of an undeclared inner part, left in the text. */
    private static final Pattern MIME_HEADER_INLINE = Pattern.compile(
            "(?i)\\b(Content-(Type|Transfer-Encoding|Disposition)|MIME-Version): *[^\\s;]+"
                    + "(; *[a-z-]+=(\"[^\"]*\"|[^\\s;]+))*;?");
    private static final Pattern RULE = Pattern.compile("^[\\s\\-_=*#~+.|<>]{4,}$");
    private static final Pattern BLOCK = Pattern.compile(
            "(?is)<(script|style|head|title)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile(
            "(?i)<\\s*(br|p|/p|div|/div|tr|/tr|li|/li|h[1-6]|/h[1-6]|table|/table|hr|blockquote|/blockquote)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("nbsp", " "), Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("copy", "©"), Map.entry("reg", "®"),
            Map.entry("trade", "™"), Map.entry("mdash", "—"), Map.entry("ndash", "–"), Map.entry("hellip", "…"),
            Map.entry("rsquo", "’"), Map.entry("lsquo", "‘"), Map.entry("rdquo", "”"), Map.entry("ldquo", "“"),
            Map.entry("bull", "•"), Map.entry("middot", "·"), Map.entry("pound", "£"), Map.entry("euro", "€"),
            Map.entry("cent", "¢"), Map.entry("deg", "°"), Map.entry("eacute", "é"), Map.entry("egrave", "è"),
            Map.entry("aacute", "á"), Map.entry("agrave", "à"), Map.entry("ouml", "ö"), Map.entry("uuml", "ü"),
            Map.entry("auml", "ä"), Map.entry("ccedil", "ç"), Map.entry("times", "×"), Map.entry("laquo", "«"),
            Map.entry("raquo", "»"));

    private MailText() {}

    /** Parses a raw message (bytes as stored). */
    static Mail parse(byte[] raw) {
        Part message = Part.of(raw);
        String subject = Texts.clean(MailDecoding.decodeWords(message.headers.getOrDefault("subject", "")));
        List<String> texts = new ArrayList<>();
        List<String> html = new ArrayList<>();
        List<String> attached = new ArrayList<>();
        collect(message, texts, html, attached, 0);
        List<String> bodies = !texts.isEmpty() ? texts : !html.isEmpty() ? html : attached;
        List<String> paragraphs = new ArrayList<>();
        for (String body : bodies) {
            paragraphs.addAll(cleanBody(body));
        }
        return new Mail(subject, paragraphs);
    }

    /** A MIME entity: lower-cased header names to unfolded values, and the raw body. */
    private static final class Part {
        final Map<String, String> headers;
        final byte[] body;

        Part(Map<String, String> headers, byte[] body) {
            this.headers = headers;
            this.body = body;
        }

        static Part of(byte[] raw) {
            String s = new String(raw, StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\n\n");
            int crlf = s.indexOf("\r\n\r\n");
            int bodyStart;
            if (crlf >= 0 && (end < 0 || crlf < end)) {
                end = crlf;
                bodyStart = crlf + 4;
            } else if (end >= 0) {
                bodyStart = end + 2;
            } else {
                end = s.length();
                bodyStart = s.length();
            }
            if (s.startsWith("\n") || s.startsWith("\r\n")) { // no headers at all
                end = 0;
                bodyStart = s.startsWith("\n") ? 1 : 2;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String last = null;
            for (String line : s.substring(0, end).split("\r?\n")) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                    headers.put(last, headers.get(last) + " " + line.strip());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("From ")) {
                    String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    if (headers.containsKey(name)) {
                        last = null; // a repeated header: keep the first
                    } else {
                        headers.put(name, line.substring(colon + 1).strip());
                        last = name;
                    }
                } else {
                    last = null;
                }
            }
            byte[] body = s.substring(bodyStart).getBytes(StandardCharsets.ISO_8859_1);
            return new Part(headers, body);
        }

        String type() {
            String ct = headers.getOrDefault("content-type", "text/plain");
            int semi = ct.indexOf(';');
            return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
        }

        String param(String header, String name) {
            Matcher m = PARAM.matcher(headers.getOrDefault(header, ""));
            while (m.find()) {
                if (m.group(1).equalsIgnoreCase(name)) {
                    return m.group(3) != null ? m.group(3) : m.group(2);
                }
            }
            return null;
        }

        boolean isAttachment() {
            String disposition = headers.getOrDefault("content-disposition", "").toLowerCase(Locale.ROOT);
            return disposition.startsWith("attachment") || param("content-type", "name") != null
                    || param("content-disposition", "filename") != null;
        }

        /** The body with its transfer encoding undone, decoded with its charset. */
        String text() {
            String encoding = headers.getOrDefault("content-transfer-encoding", "").strip().toLowerCase(Locale.ROOT);
            byte[] bytes = body;
            if (encoding.equals("quoted-printable") || !encoding.equals("base64") && MailDecoding.looksQuotedPrintable(bytes)) {
                bytes = MailDecoding.decodeQuotedPrintable(bytes);
            } else if (encoding.equals("base64")) {
                try {
                    bytes = Base64.getMimeDecoder().decode(
                            new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z0-9+/=]", ""));
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
            return new String(bytes, MailDecoding.charset(param("content-type", "charset")));
        }
    }

    /**
     * Collects the readable text of {@code part}: plain parts in {@code texts}, HTML parts (as text) in
     * {@code html}, and text parts marked as attachments in {@code attached} (used only when there is nothing
     * else).
     */
    private static void collect(Part part, List<String> texts, List<String> html, List<String> attached,
                                int depth) {
        String type = part.type();
        if (type.startsWith("multipart/") && depth < 8) {
            String boundary = part.param("content-type", "boundary");
            if (boundary == null) {
                return;
            }
            for (byte[] child : splitParts(part.body, boundary)) {
                collect(Part.of(child), texts, html, attached, depth + 1);
            }
            return;
        }
        if (type.equals("message/rfc822") && depth < 8) {
            collect(Part.of(part.body), texts, html, attached, depth + 1);
            return;
        }
        boolean plain = type.equals("text/plain") || type.equals("text");
        if (!plain && !type.equals("text/html")) {
            return;
        }
        String text = part.text();
        boolean markup = (plain ? HTML_IN_PLAIN : ANY_TAG).matcher(text).find();
        String readable = markup ? htmlToText(text) : text; // HTML without tags is plain text, and vice versa
        if (part.isAttachment()) {
            attached.add(readable);
        } else if (plain || !markup) {
            texts.add(readable);
        } else {
            html.add(readable);
        }
    }

    private static List<byte[]> splitParts(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> parts = new ArrayList<>();
        int start = -1;
        int pos = 0;
        while (pos <= s.length()) {
            int lineEnd = s.indexOf('\n', pos);
            String line = s.substring(pos, lineEnd < 0 ? s.length() : lineEnd).stripTrailing();
            if (line.startsWith(delimiter)) {
                if (start >= 0) {
                    parts.add(s.substring(start, pos).getBytes(StandardCharsets.ISO_8859_1));
                }
                if (line.startsWith(delimiter + "--")) {
                    start = -1;
                    break;
                }
                start = lineEnd < 0 ? s.length() : lineEnd + 1;
            }
            if (lineEnd < 0) {
                break;
            }
            pos = lineEnd + 1;
        }
        if (start >= 0 && start < s.length()) {
            parts.add(s.substring(start).getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    /** Markup removed: scripts, styles and comments dropped, block tags as line breaks, entities decoded. */
    static String htmlToText(String html) {
        String s = BLOCK.matcher(html.replace('\r', ' ').replace('\n', ' ')).replaceAll(" ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll(" ");
        s = s.replace("<", " ");
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String rep;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                rep = codePoint(Integer.parseInt(name.substring(2), 16));
            } else if (name.startsWith("#")) {
                rep = codePoint(Integer.parseInt(name.substring(1)));
            } else {
                rep = ENTITIES.getOrDefault(name.toLowerCase(Locale.ROOT), " ");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep));
        }
        m.appendTail(out);
        // Source line breaks were spaces; each block break ends a paragraph.
        return out.toString().replace("\n", "\n\n");
    }

    private static String codePoint(int cp) {
        if (cp == 160) {
            return " ";
        }
        return Character.isValidCodePoint(cp) && cp >= 32 ? new String(Character.toChars(cp)) : " ";
    }

    /**
     * Paragraphs of a decoded body: quoted lines, signatures, encoded data and rules dropped; lines joined within a
     * paragraph (paragraphs end at blank lines).
     */
    static List<String> cleanBody(String body) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : body.split("\r?\n", -1)) {
            String line = raw.stripTrailing();
            if (line.equals("--") || line.equals("-- ") || raw.equals("-- ")) {
                break; // signature
            }
            String t = line.strip();
            boolean drop = t.startsWith(">") || t.startsWith("|>") || BASE64_LINE.matcher(t).matches()
                    || UUENCODE_LINE.matcher(t).matches() || RULE.matcher(t).matches()
                    || t.endsWith("wrote:") && t.length() < 120 || t.startsWith("begin 6")
                    || t.startsWith("-----Original Message") || t.startsWith("----- Original Message")
                    || QUOTED_HEADER.matcher(t).lookingAt() || MIME_BOUNDARY.matcher(t).matches();
            if (t.isEmpty()) {
                flush(current, paragraphs);
                continue;
            }
            if (drop) {
                continue;
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(t);
        }
        flush(current, paragraphs);
        return paragraphs;
    }

    /**
     * The paragraph without noise tokens: 40+ characters with letters or digits that are not a URL, path or
     * address (hash busters, encoded data), and runs of 4+ punctuation characters (rules, boxes).
     */
    static String dropJunkTokens(String paragraph) {
        StringBuilder b = new StringBuilder(paragraph.length());
        for (String t : paragraph.split(" ")) {
            boolean alnum = t.chars().anyMatch(Character::isLetterOrDigit);
            boolean junk = alnum ? t.length() >= 40 && !t.contains("/") && !t.contains("@") && !t.contains("www.")
                    : t.length() >= 4;
            if (!junk) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(t);
            }
        }
        return b.toString();
    }

    private static void flush(StringBuilder current, List<String> paragraphs) {
        if (current.length() == 0) {
            return;
        }
        String p = dropJunkTokens(Texts.clean(MIME_HEADER_INLINE.matcher(current).replaceAll(" ")));
        current.setLength(0);
        if (!p.isEmpty() && Texts.letterFraction(p) >= 0.5) {
            paragraphs.add(p);
        }
    }
}
