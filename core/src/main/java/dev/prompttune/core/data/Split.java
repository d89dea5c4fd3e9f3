package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named list of examples ({@code train}, {@code dev}, {@code test}) and where it came from. Immutable.
 */
public final class Split {

    private final String name;
    private final String source;
    private final List<Example> examples;
    private volatile String fingerprint;

    /**
     * @param name     the split's name, e.g. {@code train}
     * @param source   where it came from (a file, or a description such as {@code "train.jsonl minus dev"})
     * @param examples the examples, in order
     */
    public Split(String name, String source, List<Example> examples) {
        this.name = name;
        this.source = source;
        this.examples = List.copyOf(examples);
    }

    /** The split {@code name} read from {@code file} ({@link ExampleReader#read(Path)}). */
    public static Split read(String name, Path file) {
        return new Split(name, file.toString(), ExampleReader.read(file));
    }

    /** The split {@code name} read from {@code file} in {@code format}. */
    public static Split read(String name, Path file, DataFormat format) {
        return new Split(name, file.toString(), ExampleReader.read(file, format));
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public List<Example> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    public Example get(int i) {
        return examples.get(i);
    }

    /**
     * SHA-256 (64 hex digits) of the content: the examples in order, each with its fields sorted by name. Locations,
     * the split's name and its source are not part of it, so the same data in another file or format has the same
     * fingerprint. Use a prefix (e.g. 12 digits) where a short id is enough.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = computeFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private String computeFingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, examples.size());
        for (Example e : examples) {
            Map<String, String> sorted = new TreeMap<>(e.fields());
            update(sha, sorted.size());
            for (Map.Entry<String, String> field : sorted.entrySet()) {
                update(sha, field.getKey());
                update(sha, field.getValue());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, int n) {
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        update(sha, b.length);
        sha.update(b);
    }

    /** @throws PromptTuneException naming the split and its source when it has no examples */
    void requireNonEmpty() {
        if (examples.isEmpty()) {
            throw new PromptTuneException("the " + name + " split is empty: " + source + " has no examples");
        }
    }

    @Override
    public String toString() {
        return name + " (" + examples.size() + " examples from " + source + ")";
    }
}
