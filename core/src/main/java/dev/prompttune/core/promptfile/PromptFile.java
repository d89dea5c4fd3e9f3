package dev.prompttune.core.promptfile;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.io.TensorInfo;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.SoftPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A saved soft prompt: {@code NAME.safetensors} holding {@code prompt_embeddings} [p, H] F32 (the tensor name PEFT
 * uses) plus {@code NAME.json} with its {@link PromptMetadata}.
 *
 * <p>Both files are written atomically (temp file + rename), the safetensors first and the JSON last. The
 * safetensors header also carries the metadata ({@code __metadata__["prompttune.metadata"]}), so the values and
 * their metadata always travel together: if a save is killed between the two renames, the JSON may lag behind
 * by one save but {@link #load} still returns a consistent pair (values and the metadata saved with them).
 */
public final class PromptFile {

    public static final String TENSOR = "prompt_embeddings";
    public static final String HEADER_KEY = "prompttune.metadata";
    public static final String SAFETENSORS = ".safetensors";
    public static final String JSON = ".json";

    private static final Logger LOG = LoggerFactory.getLogger(PromptFile.class);

    private PromptFile() {}

    /** A loaded prompt: values row-major [length, width] and the metadata saved with them. */
    public record Loaded(Path file, float[] values, int length, int width, PromptMetadata metadata) {

        /** A new trainable/usable prompt holding these values (owned by the caller). */
        public SoftPrompt toSoftPrompt(NDManager parent) {
            return SoftPrompt.of(values, length, width, parent);
        }
    }

    /**
     * Saves {@code dir/NAME.safetensors} and {@code dir/NAME.json}; with {@code name} null, {@code dirOrBase} is
     * the base path {@code dir/NAME} itself (an extension .safetensors/.json on it is dropped).
     *
     * @param values row-major [p, h]
     * @param meta may be null; its shape is filled in when 0 and must match [p, h] otherwise; its timestamp is
     *     set to now when null
     * @return the safetensors file
     */
    public static Path save(Path dirOrBase, String name, float[] values, int p, int h, PromptMetadata meta) {
        if (name == null && (Files.isDirectory(dirOrBase) || dirOrBase.getFileName() == null)) {
            // savePrompt(run, '/tmp') wrote /tmp.safetensors beside the folder, at the file system's root.
            throw new PromptTuneException("prompt file " + dirOrBase + " is a directory; allowed: DIR/NAME (writes "
                    + "DIR/NAME.safetensors and DIR/NAME.json)");
        }
        Path base = name == null ? stripExtension(dirOrBase) : dirOrBase.resolve(checkName(name));
        checkName(base.getFileName().toString());
        if (p < 1 || h < 1 || values.length != (long) p * h) {
            throw new PromptTuneException("prompt " + base + ": " + values.length + " values for shape [" + p + ", " + h
                    + "]; allowed: p >= 1, h >= 1, p*h values");
        }
        PromptMetadata m = meta == null ? PromptMetadata.builder().build() : meta;
        if ((m.length() != 0 && m.length() != p) || (m.width() != 0 && m.width() != h)) {
            throw new PromptTuneException("prompt " + base + ": metadata says shape [" + m.length() + ", " + m.width()
                    + "] but the values are [" + p + ", " + h + "]");
        }
        PromptMetadata.Builder filled = m.toBuilder().shape(p, h);
        m = (m.timestamp() == null ? filled.timestampNow() : filled).build();
        String json = m.toJson();
        Path tensors = sibling(base, SAFETENSORS);
        for (Path half : List.of(tensors, sibling(base, JSON))) {
            if (Files.isDirectory(half)) {
                // Found before either is written: the pair is written together or not at all.
                throw new PromptTuneException("prompt file " + half + " is a directory; allowed: a name whose "
                        + SAFETENSORS + " and " + JSON + " are files or not there yet");
            }
        }
        new SafetensorsWriter()
                .add(TENSOR, values, new long[] {p, h}, "F32")
                .metadata("format", "pt")
                .metadata(HEADER_KEY, json)
                .write(tensors);
        AtomicText.write(sibling(base, JSON), json);
        return tensors;
    }

    /** {@link #save(Path, String, float[], int, int, PromptMetadata)} with {@code base = dir/NAME}. */
    public static Path save(Path base, float[] values, int p, int h, PromptMetadata meta) {
        return save(base, null, values, p, h, meta);
    }

    /**
     * Loads a prompt given {@code dir/NAME}, {@code dir/NAME.safetensors} or {@code dir/NAME.json}. Metadata comes
     * from the safetensors header (written with the values); a file without it (e.g. written by another tool)
     * takes {@code NAME.json} if present, else a bare record with the shape only.
     */
    public static Loaded load(Path path) {
        Path base = stripExtension(path);
        Path tensors = sibling(base, SAFETENSORS);
        if (!Files.isRegularFile(tensors)) {
            if (Files.isRegularFile(path)) {
                // `%loadPrompt weights.bin as p`: the file is there, but NAME means NAME.safetensors
                throw new PromptTuneException("prompt file " + path + " is not a prompt file (" + tensors + " does not "
                        + "exist); allowed: DIR/NAME or DIR/NAME.safetensors, a safetensors file holding '" + TENSOR + "'");
            }
            // What it is in words: "does not exist", "is a symbolic link loop", "is a directory", …
            // A folder given for the prompt (DIR, not DIR/NAME) is said once: "DIR/prompt.safetensors is a directory"
            // with "(… is a directory; give DIR/NAME)" beside it repeated itself.
            boolean folderGiven = Files.isDirectory(path) && !path.equals(tensors);
            String problem = PathProblems.notRegularFile(tensors);
            throw new PromptTuneException("prompt file " + tensors + " " + problem
                    + (folderGiven ? " (" + path + " is a directory; give DIR/NAME)"
                            : problem.equals("does not exist") ? "" : "; allowed: a safetensors file"));
        }
        try (SafetensorsFile f = SafetensorsFile.open(tensors)) {
            TensorInfo info = f.tensors().get(TENSOR);
            if (info == null) {
                throw new PromptTuneException("prompt file " + tensors + " has no '" + TENSOR + "' tensor; it has "
                        + f.tensors().keySet());
            }
            long[] shape = info.shape();
            if (shape.length == 2 && shape[0] == 0) {
                // Advice must name an allowed value: no prompt length makes an empty prompt usable.
                throw new PromptTuneException("prompt file " + tensors + " holds an empty prompt (shape "
                        + Arrays.toString(shape) + "); allowed: a prompt file with at least 1 prompt vector");
            }
            if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || !info.floating()) {
                throw new PromptTuneException("prompt file " + tensors + ": '" + TENSOR + "' is " + info.dtype()
                        + " " + Arrays.toString(shape) + "; allowed: a float tensor [p, H]");
            }
            requireFitsArray("prompt file " + tensors, info);
            int p = (int) shape[0];
            int h = (int) shape[1];
            PromptMetadata meta = metadata(f, sibling(base, JSON), p, h);
            if ((meta.length() != 0 && meta.length() != p) || (meta.width() != 0 && meta.width() != h)) {
                throw new PromptTuneException("prompt file " + tensors + ": metadata says shape [" + meta.length() + ", "
                        + meta.width() + "] but '" + TENSOR + "' is [" + p + ", " + h + "]");
            }
            return new Loaded(tensors, f.readFloats(TENSOR), p, h, meta.toBuilder().shape(p, h).build());
        }
    }

    /** The most values a prompt may hold: it is read into one Java array, and this is the largest a JVM allocates. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /**
     * Refuses a tensor too big to read as a prompt, before any of it is read: one of 2^31 rows or more failed with an
     * integer overflow's stack trace, a smaller one with advice for programmers (and {@code run --check} said nothing).
     *
     * @param file how the message names the file
     */
    public static void requireFitsArray(String file, TensorInfo info) {
        if (info.numel() > MAX_VALUES) {
            throw new PromptTuneException(file + ": '" + TENSOR + "' has shape " + Arrays.toString(info.shape()) + ", "
                    + info.numel() + " values; allowed: a float tensor [p, H] of at most " + MAX_VALUES + " values (p × H)");
        }
    }

    /**
     * Loads a prompt for {@code model}, checked by {@link PromptCheck}: its width must be the model's, its values
     * finite, and its embedding fingerprint (when recorded) the model's unless {@code anyModel}.
     */
    public static Loaded loadOnto(Path path, T5Model model, boolean anyModel) {
        return PromptCheck.check(load(path), PromptCheck.Target.of(model, model.source()), anyModel);
    }

    /** Metadata pre-filled for {@code model}: base model (its source), embedding fingerprint, library versions. */
    public static PromptMetadata.Builder describe(T5Model model) {
        return PromptMetadata.builder()
                .baseModel(model.source())
                .embeddingFingerprint(EmbeddingFingerprint.of(model.embeddingTable()))
                .versions(LibraryVersions.current());
    }

    /** Sidecars already said to disagree, so that a prompt read several times in a run is named once. */
    private static final Set<Path> DISAGREEING = ConcurrentHashMap.newKeySet();

    /**
     * The {@code NAME.json} sidecar is written beside the safetensors with the same metadata, for people to read; the
     * safetensors' own copy is the one used. A sidecar edited by hand (or left from another prompt) would mislead
     * whoever reads it: said once, as a warning.
     */
    private static void warnIfSidecarDiffers(String header, Path json, Path tensors) {
        if (!Files.isRegularFile(json) || DISAGREEING.contains(json.toAbsolutePath())) {
            return;
        }
        String why;
        try {
            why = JsonFiles.parse(Files.readString(json), json.toString()).equals(JsonFiles.parse(header, tensors.toString()))
                    ? null : "it disagrees with";
        } catch (IOException | RuntimeException e) {
            why = "it cannot be read as";
        }
        if (why != null && DISAGREEING.add(json.toAbsolutePath())) {
            LOG.warn("{}: {} the metadata inside {}, which is the one used; rewrite it (savePrompt) or delete it", json,
                    why, tensors);
        }
    }

    private static PromptMetadata metadata(SafetensorsFile f, Path json, int p, int h) {
        String header = f.metadata().get(HEADER_KEY);
        if (header != null) {
            PromptMetadata m = PromptMetadata.fromJson(header, f.path() + " (header " + HEADER_KEY + ")");
            warnIfSidecarDiffers(header, json, f.path());
            return m;
        }
        if (Files.isRegularFile(json)) {
            try {
                return PromptMetadata.fromJson(Files.readString(json), json.toString());
            } catch (IOException e) {
                throw new PromptTuneException(json + ": cannot read: " + PathProblems.describe(json, e), e);
            }
        }
        return PromptMetadata.builder().shape(p, h).build();
    }

    /** {@code dir/NAME} for {@code dir/NAME.safetensors} or {@code dir/NAME.json}; any other path itself. */
    public static Path stripExtension(Path path) {
        String file = path.getFileName().toString();
        for (String ext : new String[] {SAFETENSORS, JSON}) {
            if (file.endsWith(ext) && file.length() > ext.length()) {
                return path.resolveSibling(file.substring(0, file.length() - ext.length()));
            }
        }
        return path;
    }

    private static Path sibling(Path base, String extension) {
        return base.resolveSibling(base.getFileName() + extension);
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch(Character::isISOControl)) {
            // A control character (a newline from a GString) made a file name no listing shows as written.
            throw new PromptTuneException("prompt name '" + name.replace("\n", "\\n") + "' is not allowed; allowed: "
                    + "a file name that does not start with '.' and has no path separator or control character");
        }
        return name;
    }
}
