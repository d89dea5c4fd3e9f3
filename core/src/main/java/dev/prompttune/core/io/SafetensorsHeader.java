package dev.prompttune.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.prompttune.core.PromptTuneException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the JSON header of a safetensors file. Every check that can be done without reading the
 * data happens here, so that a bad file fails at open with one line naming the file, not later inside a model.
 */
final class SafetensorsHeader {

    static final String METADATA_KEY = "__metadata__";

    final Map<String, TensorInfo> tensors;
    final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * @param file      for messages
     * @param json      the header text
     * @param dataStart absolute offset of the data section ({@code 8 + header length})
     * @param fileSize  to detect truncated files
     */
    static SafetensorsHeader parse(Path file, String json, long dataStart, long fileSize) {
        JsonElement root;
        try {
            root = JsonFiles.parseStrict(json, file + ": header");
        } catch (JsonFiles.DuplicateKey e) {
            // Last-one-wins would silently drop a tensor: a header naming one twice is corrupt.
            throw e.topLevel() ? bad(file, "tensor '" + e.key() + "' appears twice in the header; allowed: each tensor"
                    + " name once") : e;
        }
        if (!root.isJsonObject()) {
            throw bad(file, "header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), dataStart, fileSize));
            }
        }
        checkNoOverlap(file, tensors);
        checkNoGap(file, tensors, dataStart);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> out) {
        if (!value.isJsonObject()) {
            throw bad(file, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            if (!m.getValue().isJsonPrimitive()) {
                throw bad(file, METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().getAsString());
        }
    }

    private static TensorInfo readTensor(Path file, String name, JsonElement value, long dataStart, long fileSize) {
        if (!value.isJsonObject()) {
            throw bad(file, "entry for tensor '" + name + "' is not a JSON object");
        }
        JsonObject o = value.getAsJsonObject();
        for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!o.has(key)) {
                throw bad(file, "tensor '" + name + "' has no " + key);
            }
        }
        if (!(o.get("dtype") instanceof JsonPrimitive p && p.isString())) {
            throw bad(file, "tensor '" + name + "' dtype is not a string");
        }
        String dtypeName = o.get("dtype").getAsString();
        Dtype dtype = Dtype.parse(dtypeName);
        if (dtype == null) {
            throw bad(file, "tensor '" + name + "' has unsupported dtype " + dtypeName
                    + " (supported: " + Dtype.supported() + ")");
        }
        long[] shape = longs(file, name, "shape", o.get("shape"));
        long[] offsets = longs(file, name, "data_offsets", o.get("data_offsets"));
        if (offsets.length != 2) {
            throw bad(file, "tensor '" + name + "' data_offsets must be [begin, end], got " + o.get("data_offsets"));
        }
        long numel = 1;
        try {
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            Math.multiplyExact(numel, dtype.size);
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' shape " + o.get("shape") + " is too large");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw bad(file, "tensor '" + name + "' data_offsets begin " + begin + " > end " + end);
        }
        // Compare as relative offsets against the data section length: no overflow for any long input.
        long dataLength = fileSize - dataStart;
        if (end > dataLength) {
            throw bad(file, "truncated: tensor '" + name + "' data ends at byte " + end
                    + " of the data section, but the file holds only " + dataLength + " data bytes");
        }
        if (end - begin != numel * dtype.size) {
            throw bad(file, "tensor '" + name + "' has " + (end - begin) + " data bytes, but shape "
                    + o.get("shape") + " of " + dtypeName + " needs " + numel * dtype.size);
        }
        return new TensorInfo(name, dtypeName, shape, dataStart + begin, dataStart + end);
    }

    /** A JSON array of non-negative integers. */
    private static long[] longs(Path file, String name, String key, JsonElement value) {
        String problem = "tensor '" + name + "' " + key + " must be an array of non-negative integers, got " + value;
        if (!value.isJsonArray()) {
            throw bad(file, problem);
        }
        JsonArray a = value.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            // Written as an integer ("5", not "5.0" or "5e0"): the format's readers parse these as unsigned integers.
            if (!(a.get(i) instanceof JsonPrimitive p && p.isNumber() && p.getAsString().matches("-?[0-9]+"))) {
                throw bad(file, problem);
            }
            try {
                out[i] = p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException e) {
                throw bad(file, problem); // fractional or beyond a long
            }
            if (out[i] < 0) {
                throw bad(file, problem);
            }
        }
        return out;
    }

    /** Two tensors sharing bytes would silently alias; real writers never do it, so it means a corrupt header. */
    private static void checkNoOverlap(Path file, Map<String, TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : tensors.values()) {
            if (t.byteLength() > 0) { // empty tensors own no bytes
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw bad(file, "tensors '" + prev.name() + "' and '" + cur.name() + "' have overlapping data_offsets");
            }
        }
    }

    /**
     * The tensors' bytes must follow one another from the data section's start, as every writer lays them out (the
     * format requires it): bytes that no tensor owns mean offsets that were edited or a file spliced together.
     */
    private static void checkNoGap(Path file, Map<String, TensorInfo> tensors, long dataStart) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = dataStart;
        for (TensorInfo t : sorted) {
            if (t.begin() > covered) {
                throw bad(file, "data bytes " + (covered - dataStart) + " to " + (t.begin() - dataStart) + " belong to "
                        + "no tensor (the next, '" + t.name() + "', starts at " + (t.begin() - dataStart)
                        + "); allowed: tensors whose data_offsets follow one another from 0 without gaps");
            }
            covered = Math.max(covered, t.end());
        }
    }

    static PromptTuneException bad(Path file, String problem) {
        return new PromptTuneException(file + ": " + problem);
    }
}
