package dev.prompttune.core.promptfile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.io.HalfFloats;
import dev.prompttune.core.model.T5CheckpointLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Identifies the model a prompt was trained on: SHA-256 over the input embedding table's float32 values
 * (little-endian, row-major [V, H]), written {@code sha256:<64 hex digits>}. A prompt only means something next
 * to the embeddings it was trained with; two checkpoints with equal tables give equal fingerprints whatever
 * their directory names. About 0.1 s for a 32k × 512 table.
 */
public final class EmbeddingFingerprint {

    public static final String PREFIX = "sha256:";

    private EmbeddingFingerprint() {}

    /** @param table [V, H], any float dtype (hashed as float32), any device */
    public static String of(NDArray table) {
        MessageDigest digest = sha256();
        try (NDArray f32 = table.toType(DataType.FLOAT32, true)) {
            ByteBuffer bytes = f32.toByteBuffer();
            if (bytes.order() == ByteOrder.LITTLE_ENDIAN || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                digest.update(bytes);
            } else {
                ByteBuffer le = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                le.asFloatBuffer().put(bytes.order(ByteOrder.BIG_ENDIAN).asFloatBuffer());
                digest.update(le);
            }
        }
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The fingerprint a model loaded from checkpoint {@code dir} at {@code precision} ("fp32", "fp16") has, from the
     * file alone (no model built): its embedding table, rounded to fp16 first where the model would be.
     */
    public static String ofCheckpoint(Path dir, String precision) {
        String key = stateOf(dir, precision);
        synchronized (RECENT) {
            String known = key == null ? null : RECENT.get(key);
            if (known != null) {
                return known;
            }
        }
        String fingerprint = compute(dir, precision);
        if (key != null) {
            synchronized (RECENT) {
                RECENT.put(key, fingerprint);
            }
        }
        return fingerprint;
    }

    /**
     * Fingerprints of checkpoints read recently, by folder, precision and the name, size, modification time and identity
     * (inode) of each file in it: a script's checks, a sweep's points and each prompt file read for one model would otherwise read its
     * whole embedding table again each time (a quarter of a gigabyte for T5-XL).
     */
    private static final Map<String, String> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 16;
        }
    };

    /** The cache key of a checkpoint folder as it is now, or null when it cannot be listed (then nothing is cached). */
    private static String stateOf(Path dir, String precision) {
        try (Stream<Path> files = Files.list(dir)) {
            StringBuilder b = new StringBuilder(dir.toAbsolutePath().normalize().toString()).append('\u0000').append(precision);
            for (Path f : files.sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                b.append('\u0000').append(f.getFileName()).append(':').append(a.size()).append(':')
                        .append(a.lastModifiedTime().toMillis()).append(':').append(a.fileKey());
            }
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String compute(Path dir, String precision) {
        float[] table = T5CheckpointLoader.embeddingTable(dir);
        return "fp16".equals(precision) ? of(roundedToHalf(table)) : of(table);
    }

    /**
     * The fingerprint the same model has at precision fp16, from a table loaded at fp32: a prompt trained with
     * {@code precision 'fp16'} records that one, and is still a prompt of this model.
     *
     * @param table [V, H] float32 (a float16 table is already rounded: its own fingerprint)
     */
    public static String ofRoundedToHalf(NDArray table) {
        try (NDArray f32 = table.toType(DataType.FLOAT32, true)) {
            return of(roundedToHalf(f32.toFloatArray()));
        }
    }

    /** Each value rounded to the nearest half-precision value, as a model loaded at fp16 holds it (in place). */
    private static float[] roundedToHalf(float[] table) {
        for (int i = 0; i < table.length; i++) {
            table[i] = HalfFloats.halfToFloat(HalfFloats.floatToHalf(table[i]));
        }
        return table;
    }

    /** The same hash over float32 values already in Java (row-major). */
    public static String of(float[] values) {
        ByteBuffer le = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        le.asFloatBuffer().put(values);
        MessageDigest digest = sha256();
        digest.update(le);
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /** A fingerprint or checksum as messages show it: the prefix and its first 12 hex digits. */
    public static String shortly(String fingerprint) {
        return fingerprint.length() > PREFIX.length() + 12 ? fingerprint.substring(0, PREFIX.length() + 12) + "…"
                : fingerprint;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
