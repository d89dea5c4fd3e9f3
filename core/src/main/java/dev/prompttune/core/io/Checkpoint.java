package dev.prompttune.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"metadata": ..., "weight_map": {tensor: shard file}}}). Tensors
 * are looked up by their Hugging Face names; each shard is opened once and mapped on demand.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, SafetensorsFile> fileOf; // tensor name -> its file, in file/index order
    private final List<SafetensorsFile> files;

    private Checkpoint(Path dir, Map<String, SafetensorsFile> fileOf, List<SafetensorsFile> files) {
        this.dir = dir;
        this.fileOf = Collections.unmodifiableMap(fileOf);
        this.files = files;
    }

    /** Opens the weights in {@code dir}; throws {@link PromptTuneException} naming the directory or file. */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PromptTuneException(dir + ": not a directory (a checkpoint is a model directory)");
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            file.tensors().keySet().forEach(name -> fileOf.put(name, file));
            return new Checkpoint(dir, fileOf, List.of(file));
        }
        Path index = dir.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            return openSharded(dir, index);
        }
        String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                || Files.exists(dir.resolve("pytorch_model.bin.index.json"))
                ? "; pytorch_model.bin is present but not supported (pickle): convert it to safetensors, e.g. in"
                        + " Python: AutoModel.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)"
                : "";
        throw new PromptTuneException(dir + ": no weights found (looked for " + SINGLE_FILE + " and " + INDEX_FILE
                + ")" + hint);
    }

    private static Checkpoint openSharded(Path dir, Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile shard = shards.get(e.getValue());
                if (shard == null) {
                    shard = SafetensorsFile.open(shardPath(dir, index, e.getValue()));
                    shards.put(e.getValue(), shard);
                }
                if (!shard.tensors().containsKey(e.getKey())) {
                    throw new PromptTuneException(index + ": tensor '" + e.getKey() + "' is mapped to "
                            + e.getValue() + ", but that shard does not contain it");
                }
                fileOf.put(e.getKey(), shard);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, fileOf, new ArrayList<>(shards.values()));
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonElement root = JsonFiles.parse(JsonFiles.read(index), index.toString());
        if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
            throw new PromptTuneException(index + ": no \"weight_map\" object (tensor name -> shard file)");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().getAsJsonObject("weight_map").entrySet()) {
            if (!(e.getValue() instanceof JsonPrimitive p && p.isString())) {
                throw new PromptTuneException(index + ": weight_map entry '" + e.getKey() + "' is not a file name");
            }
            map.put(e.getKey(), e.getValue().getAsString());
        }
        if (map.isEmpty()) {
            throw new PromptTuneException(index + ": weight_map is empty");
        }
        return map;
    }

    private static Path shardPath(Path dir, Path index, String shard) {
        Path path = dir.resolve(shard).normalize();
        // Shards live beside the index; a name like "../x" would read files outside the model directory.
        if (!dir.normalize().equals(path.getParent() == null ? null : path.getParent().normalize())) {
            throw new PromptTuneException(index + ": shard name '" + shard + "' is not a file in " + dir);
        }
        if (!Files.exists(path)) {
            throw new PromptTuneException(index + ": references missing shard " + shard + " (not found in " + dir
                    + ")");
        }
        return path;
    }

    public Path dir() {
        return dir;
    }

    /** Tensor names in file (single) or index (sharded) order; unmodifiable. */
    public Set<String> names() {
        return fileOf.keySet();
    }

    public boolean has(String name) {
        return fileOf.containsKey(name);
    }

    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** See {@link SafetensorsFile#load}: FLOAT32/FLOAT16 for float tensors (bf16 widened in Java), INT64. */
    public NDArray load(String name, NDManager manager, DataType target) {
        return file(name).load(name, manager, target);
    }

    public float[] readFloats(String name) {
        return file(name).readFloats(name);
    }

    public long[] readLongs(String name) {
        return file(name).readLongs(name);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "Checkpoint(" + dir + ", " + fileOf.size() + " tensors in " + files.size() + " file(s))";
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new PromptTuneException(dir + ": no tensor named '" + name + "' in the checkpoint");
        }
        return file;
    }

    /**
     * Writes float tensors as a Hugging Face sharded checkpoint: {@code model-0000k-of-0000n.safetensors}
     * (tensors split in map order into {@code shards} runs of near-equal count) plus
     * {@code model.safetensors.index.json}; with {@code shards == 1}, a plain {@code model.safetensors} as
     * transformers writes it. Shards are written before the index, each atomically.
     *
     * @param shapes one shape per tensor name
     * @param dtype  F32, F16 or BF16
     */
    public static void writeSharded(Path dir, Map<String, float[]> tensors, Map<String, long[]> shapes,
            String dtype, int shards) {
        if (shards < 1 || shards > tensors.size()) {
            throw new IllegalArgumentException("shards must be 1.." + tensors.size() + ", got " + shards);
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalSize = 0;
        for (int k = 0; k < shards; k++) {
            String fileName = shards == 1 ? SINGLE_FILE
                    : String.format("model-%05d-of-%05d.safetensors", k + 1, shards);
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (String name : names.subList(k * names.size() / shards, (k + 1) * names.size() / shards)) {
                long[] shape = shapes.get(name);
                if (shape == null) {
                    throw new IllegalArgumentException("no shape for tensor '" + name + "'");
                }
                writer.add(name, tensors.get(name), shape, dtype);
                weightMap.put(name, fileName);
                totalSize += (long) tensors.get(name).length * Dtype.parse(dtype).size;
            }
            writer.write(dir.resolve(fileName));
        }
        if (shards == 1) {
            return;
        }
        JsonObject index = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        index.add("metadata", metadata);
        JsonObject map = new JsonObject();
        weightMap.forEach(map::addProperty);
        index.add("weight_map", map);
        byte[] json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(index)
                .getBytes(StandardCharsets.UTF_8);
        Path indexPath = dir.resolve(INDEX_FILE);
        try {
            AtomicFiles.write(indexPath, channel -> AtomicFiles.writeFully(channel, ByteBuffer.wrap(json)));
        } catch (IOException e) {
            throw new PromptTuneException(indexPath + ": cannot write: " + PathProblems.describe(indexPath, e), e);
        }
    }
}
