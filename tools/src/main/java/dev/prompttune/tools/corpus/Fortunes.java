package dev.prompttune.tools.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fortune cookie files ({@code /usr/share/games/fortunes/TOPIC}, entries separated by lines holding {@code %}),
 * as the Debian packages {@code fortunes} and {@code fortunes-min} install them. Overstriking (a character, a
 * backspace, a character: bold or underline on a teletype) is undone and whitespace collapsed.
 */
final class Fortunes {

    /** One fortune: its topic file, its index within the file, its text (one line). */
    record Fortune(String topic, int index, String text) {}

    private Fortunes() {}

    /** Topic files in {@code dir}: plain files without an extension (not the {@code .dat} indexes), sorted. */
    static List<String> topics(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.contains("."))
                    .sorted()
                    .toList();
        }
    }

    /** The fortunes of one topic file, in file order (empty entries skipped). */
    static List<Fortune> read(Path dir, String topic) throws IOException {
        String text = decode(Files.readAllBytes(dir.resolve(topic)));
        List<Fortune> out = new ArrayList<>();
        StringBuilder entry = new StringBuilder();
        int index = 0;
        for (String line : text.split("\r?\n", -1)) {
            if (line.equals("%")) {
                String t = clean(entry.toString());
                if (!t.isEmpty()) {
                    out.add(new Fortune(topic, index++, t));
                }
                entry.setLength(0);
            } else if (line.length() > 1 && line.endsWith("-") && Character.isLetter(line.charAt(line.length() - 2))
                    && !line.endsWith("--")) {
                entry.append(line); // a word hyphenated across lines: no space after the hyphen
            } else {
                entry.append(line).append('\n');
            }
        }
        String t = clean(entry.toString());
        if (!t.isEmpty()) {
            out.add(new Fortune(topic, index, t));
        }
        return out;
    }

    static String clean(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\b') {
                if (b.length() > 0) {
                    b.setLength(b.length() - 1);
                }
            } else {
                b.append(c);
            }
        }
        return Texts.clean(b.toString());
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }
}
