package dev.prompttune.core.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.io.TensorInfo;
import dev.prompttune.core.model.EngineThreads;
import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener.EvalEvent;
import dev.prompttune.core.train.optim.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run record's checkpoint, {@code checkpoint.safetensors}: the trainer's whole state at a step boundary
 * ({@link TrainerState}) in one file, written atomically (temp file, fsync, rename), so a process killed at any moment
 * leaves the previous checkpoint or the new one, never a mix. One file rather than tensors plus a JSON beside them:
 * two files could be caught half-updated.
 *
 * <p>Tensors (F32): {@code current.i}, {@code best.i}, {@code last_good.i} (the i-th trainable array: the prompt,
 * then a residual reparameterisation's MLP) and {@code optimizer.KEY.j} (state array j of the optimizer's parameter
 * KEY). The header's {@code prompttune.checkpoint} metadata is JSON: the step, the dev bookkeeping, every loss and
 * evaluation so far (doubles, exact in JSON), the optimizer's counters, and what the checkpoint must be resumed with:
 * the spec's fingerprint, the model's embedding fingerprint and the data's fingerprints, and a SHA-256 of the tensors
 * ({@code tensor_sha256}, verified on resume: a value changed in place since the write is refused).
 */
public final class RunCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoint.class);

    public static final String FILE = "checkpoint.safetensors";
    static final String METADATA_KEY = "prompttune.checkpoint";
    static final int FORMAT = 1;

    /**
     * What a checkpoint may only be resumed with.
     *
     * @param spec the fingerprint of the settings ({@link #fingerprint(JsonElement)} of a spec's JSON, a recipe)
     * @param model the model's embedding fingerprint
     * @param data each split's fingerprint, by split name
     * @param settings the settings {@code spec} is the fingerprint of, kept in the checkpoint so that a resume with
     *     other settings names each one that differs (null: only the fingerprint is compared)
     */
    public record Identity(String spec, String model, Map<String, String> data, JsonObject settings) {

        /** The identity of {@code settings} (a spec's JSON, a model build's recipe), kept whole in the checkpoint. */
        public static Identity of(JsonObject settings, String model, Map<String, String> data) {
            return new Identity(fingerprint(settings), model, data, settings);
        }
    }

    private RunCheckpoint() {}

    /** {@code sha256:HEX} of settings as JSON (a spec, a model build's recipe): what {@link Identity#spec} holds. */
    public static String fingerprint(JsonElement settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(RunRecord.GSON.toJson(settings).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean exists(Path recordDir) {
        return Files.isRegularFile(recordDir.resolve(FILE));
    }

    /** Throws the error for a record without a checkpoint (checked before any weights load). */
    static void requireExists(Path recordDir) {
        Path file = recordDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new PromptTuneException(file + ": no checkpoint, so " + recordDir + " cannot be resumed; allowed: the "
                    + "record of a run that stopped before its end (interrupted, failed on a cluster, or killed after its "
                    + "first evaluation; a run that finished removes its checkpoint)");
        }
    }

    /** Deletes the checkpoint (a run that ended where it cannot go on needs none). */
    public static void remove(Path recordDir) {
        try {
            Files.deleteIfExists(recordDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code state} as the record's checkpoint.
     *
     * @param shapes each trainable array's shape, in {@link TrainerState#current()}'s order
     */
    public static void write(Path recordDir, TrainerState state, List<long[]> shapes, Identity identity) {
        write(recordDir, state, shapes, identity, Map.of());
    }

    /**
     * {@link #write(Path, TrainerState, List, Identity)} with the caller's own notes in the same file (a model build's
     * log lines so far), so that they and the state are never caught at different steps.
     */
    public static void write(Path recordDir, TrainerState state, List<long[]> shapes, Identity identity,
                             Map<String, String> notes) {
        SafetensorsWriter out = new SafetensorsWriter();
        for (int i = 0; i < shapes.size(); i++) {
            out.add("current." + i, state.current()[i], shapes.get(i), "F32");
            out.add("best." + i, state.best()[i], shapes.get(i), "F32");
            out.add("last_good." + i, state.lastGood()[i], shapes.get(i), "F32");
        }
        JsonObject slots = new JsonObject();
        state.optimizer().slots().forEach((key, slot) -> {
            for (int j = 0; j < slot.arrays().length; j++) {
                out.add("optimizer." + key + "." + j, slot.arrays()[j], slot.shapes()[j], "F32");
            }
            JsonObject s = new JsonObject();
            s.addProperty("updates", slot.updates());
            s.addProperty("arrays", slot.arrays().length);
            slots.add(key, s);
        });
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("name", state.optimizer().optimizer());
        optimizer.addProperty("steps", state.optimizer().steps());
        optimizer.add("slots", slots);

        JsonObject meta = new JsonObject();
        meta.addProperty("format", FORMAT);
        meta.addProperty("step", state.step());
        meta.addProperty("spec_fingerprint", identity.spec());
        if (identity.settings() != null) {
            meta.add("settings", identity.settings());
        }
        meta.addProperty("model_fingerprint", identity.model());
        // Where its last digits came from: a run killed outright has no summary to say it (RunEnvironment).
        meta.addProperty("pytorch_threads", EngineThreads.intraOp());
        meta.add("data_fingerprints", RunRecord.GSON.toJsonTree(identity.data()));
        meta.addProperty("best_value", state.bestValue());
        meta.addProperty("best_step", state.bestStep());
        meta.addProperty("since_best", state.sinceBest());
        meta.addProperty("trainable_arrays", shapes.size());
        meta.add("optimizer", optimizer);
        meta.add("losses", RunRecord.GSON.toJsonTree(state.losses()));
        meta.add("evals", RunRecord.GSON.toJsonTree(state.evals()));
        meta.add("notes", RunRecord.GSON.toJsonTree(notes));
        // The tensors' checksum, in the same header as what it vouches for (one atomic file): values changed in place
        // but still finite pass every other check and would train on silently.
        meta.addProperty(TENSOR_DIGEST, tensorDigest(state));
        out.metadata(METADATA_KEY, RunRecord.GSON.toJson(meta));
        out.write(recordDir.resolve(FILE));
    }

    /**
     * The record's checkpoint, checked against what it is about to be resumed with: {@code expected} and the
     * trainable's array shapes. Every problem is one line naming the file, the bad value and what is allowed.
     */
    public static TrainerState read(Path recordDir, Identity expected, List<long[]> shapes) {
        requireExists(recordDir);
        Path file = recordDir.resolve(FILE);
        TrainerState state;
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            JsonObject meta = metadata(in);
            int format = meta.get("format").getAsInt();
            if (format != FORMAT) {
                throw new Mismatch(file + ": checkpoint format " + format + "; allowed: " + FORMAT + " (this version's)");
            }
            check(file, "model embedding fingerprint", meta.get("model_fingerprint").getAsString(), expected.model(),
                    "the model the run was trained on");
            if (!meta.get("spec_fingerprint").getAsString().equals(expected.spec())) {
                throw settingsMismatch(file, meta, expected);
            }
            Map<String, String> data = new LinkedHashMap<>();
            meta.getAsJsonObject("data_fingerprints").entrySet().forEach(e -> data.put(e.getKey(), e.getValue().getAsString()));
            checkData(file, data, expected.data());
            int arrays = meta.get("trainable_arrays").getAsInt();
            if (arrays != shapes.size()) {
                throw new Mismatch(file + ": the checkpoint has " + arrays + " trainable arrays; allowed: " + shapes.size()
                        + " (the run's trainable)");
            }
            float[][] current = new float[arrays][];
            float[][] best = new float[arrays][];
            float[][] lastGood = new float[arrays][];
            for (int i = 0; i < arrays; i++) {
                current[i] = floats(in, "current." + i, shapes.get(i));
                best[i] = floats(in, "best." + i, shapes.get(i));
                lastGood[i] = floats(in, "last_good." + i, shapes.get(i));
            }
            int step = meta.get("step").getAsInt();
            List<Double> losses = new ArrayList<>();
            meta.getAsJsonArray("losses").forEach(l -> losses.add(l.getAsDouble()));
            if (losses.size() != step) {
                throw corrupt(file, losses.size() + " losses at step " + step + " (one per step)");
            }
            List<EvalEvent> evals = new ArrayList<>();
            meta.getAsJsonArray("evals").forEach(e -> evals.add(RunRecord.GSON.fromJson(e, EvalEvent.class)));
            state = new TrainerState(step, current, best, lastGood, meta.get("best_value").getAsDouble(),
                    meta.get("best_step").getAsInt(), meta.get("since_best").getAsInt(), losses, evals,
                    optimizer(in, meta.getAsJsonObject("optimizer")));
        } catch (Mismatch | Corrupt e) { // already says what is wrong: not wrapped again
            throw e;
        } catch (PromptTuneException e) { // the file's own reader: truncated, not safetensors, a tensor missing
            String m = e.getMessage();
            throw corrupt(file, m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m);
        } catch (RuntimeException e) { // a metadata field missing or of the wrong type
            throw corrupt(file, "unreadable metadata (" + e.getMessage() + ")");
        }
        requireFinite(file, state); // first: a NaN or infinity is named with its tensor and index
        requireUnchanged(file, state);
        return state;
    }

    /** The metadata field holding {@link #tensorDigest}; checkpoints written before it have none. */
    static final String TENSOR_DIGEST = "tensor_sha256";

    /**
     * Refuses a checkpoint whose tensors differ from what was written (the recorded {@link #tensorDigest}). One written
     * before checkpoints recorded it is resumed unverified, with a warning: refusing it would lose the run it holds.
     */
    private static void requireUnchanged(Path file, TrainerState state) {
        String recorded;
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            JsonElement d = metadata(in).get(TENSOR_DIGEST);
            recorded = d == null || d.isJsonNull() ? null : d.getAsString();
        }
        if (recorded == null) {
            LOG.warn("{}: written before checkpoints recorded a checksum of their tensors, so a change since it was "
                    + "written cannot be detected; resuming it unverified", file);
            return;
        }
        String now = tensorDigest(state);
        if (!recorded.equals(now)) {
            throw corrupt(file, "its tensors changed since it was written (checksum " + abbreviated(now) + " now, "
                    + abbreviated(recorded) + " when written)", "the checkpoint as prompttune wrote it, or start afresh "
                    + "without it (delete " + file + ")");
        }
    }

    /**
     * {@code sha256:HEX} of every tensor a checkpoint holds: each tensor's name, length and float32 bits, tensors in
     * name order. Taken over the values rather than the file's bytes, so that it is computed from the state being
     * written (no second pass over the file) and compared with the state as read.
     */
    static String tensorDigest(TrainerState state) {
        java.util.SortedMap<String, float[]> tensors = new java.util.TreeMap<>();
        for (int i = 0; i < state.current().length; i++) {
            tensors.put("current." + i, state.current()[i]);
            tensors.put("best." + i, state.best()[i]);
            tensors.put("last_good." + i, state.lastGood()[i]);
        }
        state.optimizer().slots().forEach((key, slot) -> {
            for (int j = 0; j < slot.arrays().length; j++) {
                tensors.put("optimizer." + key + "." + j, slot.arrays()[j]);
            }
        });
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.nio.FloatBuffer floats = bytes.asFloatBuffer();
            for (Map.Entry<String, float[]> t : tensors.entrySet()) {
                digest.update(t.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update(bytes.clear().putLong(t.getValue().length).array(), 0, 8);
                float[] v = t.getValue();
                for (int from = 0; from < v.length; from += floats.capacity()) {
                    int n = Math.min(floats.capacity(), v.length - from);
                    floats.clear().put(v, from, n);
                    digest.update(bytes.array(), 0, 4 * n);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The trainer writes only finite arrays (a step with a non-finite loss restores the last good prompt before any
     * checkpoint), so a NaN or infinity here was put there by something else; training from it would fail at once and
     * take the checkpoint with it.
     */
    private static void requireFinite(Path file, TrainerState state) {
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put("current", state.current());
        arrays.put("best", state.best());
        arrays.put("last_good", state.lastGood());
        state.optimizer().slots().forEach((slot, s) -> arrays.put("optimizer." + slot, s.arrays()));
        for (Map.Entry<String, float[][]> e : arrays.entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                float[] values = e.getValue()[i];
                for (int j = 0; j < values.length; j++) {
                    if (!Float.isFinite(values[j])) {
                        throw corrupt(file, "tensor " + e.getKey() + "." + i + " holds " + values[j] + " at index " + j
                                + " (a checkpoint's values are finite)");
                    }
                }
            }
        }
    }

    /** The notes {@link #write(Path, TrainerState, List, Identity, Map)} stored (empty when none); read after {@link #read}. */
    public static Map<String, String> notes(Path recordDir) {
        Path file = recordDir.resolve(FILE);
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            JsonObject notes = metadata(in).getAsJsonObject("notes");
            Map<String, String> out = new LinkedHashMap<>();
            if (notes != null) {
                notes.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
            }
            return out;
        } catch (RuntimeException e) {
            throw corrupt(file, "unreadable notes (" + e.getMessage() + ")");
        }
    }

    /** The optimizer's state: counters from the metadata, arrays from the tensors. */
    private static OptimizerState optimizer(SafetensorsFile in, JsonObject o) {
        Map<String, OptimizerState.Slot> slots = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("slots").entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            int count = s.get("arrays").getAsInt();
            float[][] arrays = new float[count][];
            long[][] shapes = new long[count][];
            for (int j = 0; j < count; j++) {
                String name = "optimizer." + e.getKey() + "." + j;
                shapes[j] = in.info(name).shape();
                arrays[j] = in.readFloats(name);
            }
            slots.put(e.getKey(), new OptimizerState.Slot(s.get("updates").getAsLong(), arrays, shapes));
        }
        return new OptimizerState(o.get("name").getAsString(), o.get("steps").getAsInt(), slots);
    }

    /**
     * The refusal of a resume with other settings than the run started with: each setting that differs ("steps
     * (started 400, now 50)") when the checkpoint keeps its settings, else the two fingerprints (older checkpoints).
     */
    private static Mismatch settingsMismatch(Path file, JsonObject meta, Identity expected) {
        String allowed = "the settings the run was started with (a run's spec.json: was it edited? a model build's "
                + "options)";
        if (meta.get("settings") instanceof JsonObject started && expected.settings() != null) {
            // Compared as the checkpoint holds them, after JSON text (0.1f in memory is 0.10000000149 as a double).
            JsonObject now = JsonParser.parseString(RunRecord.GSON.toJson(expected.settings())).getAsJsonObject();
            return new Mismatch(file + ": the run was started with other settings than it is resumed with: "
                    + String.join(", ", SpecDifferences.of(started, now, "started", "now")) + "; allowed: " + allowed);
        }
        return mismatch(file, "spec fingerprint", meta.get("spec_fingerprint").getAsString(), expected.spec(), allowed);
    }

    /** The PyTorch thread count the checkpoint in {@code recordDir} was written with; empty when it does not say. */
    static OptionalInt threads(Path recordDir) {
        try (SafetensorsFile in = SafetensorsFile.open(recordDir.resolve(FILE))) {
            JsonObject meta = metadata(in);
            return meta.has("pytorch_threads") ? OptionalInt.of(meta.get("pytorch_threads").getAsInt()) : OptionalInt.empty();
        } catch (RuntimeException unreadable) {
            return OptionalInt.empty(); // reading it for the resume says what is wrong with it
        }
    }

    private static JsonObject metadata(SafetensorsFile in) {
        String json = in.metadata().get(METADATA_KEY);
        if (json == null) {
            throw corrupt(in.path(), "no '" + METADATA_KEY + "' metadata in its header");
        }
        return JsonParser.parseString(json).getAsJsonObject();
    }

    private static float[] floats(SafetensorsFile in, String name, long[] shape) {
        TensorInfo t = in.info(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new Mismatch(in.path() + ": checkpoint tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + "; allowed: " + Arrays.toString(shape) + " (the run's trainable array)");
        }
        return in.readFloats(name);
    }

    /** The checkpoint is sound but belongs to another model, spec or data. */
    private static final class Mismatch extends PromptTuneException {
        Mismatch(String message) {
            super(message);
        }
    }

    /** The splits' fingerprints; a mismatch names the splits that changed (the maps are long hashes). */
    private static void checkData(Path file, Map<String, String> saved, Map<String, String> now) {
        if (saved.equals(now)) {
            return;
        }
        List<String> changed = new ArrayList<>();
        Set<String> splits = new LinkedHashSet<>(saved.keySet());
        splits.addAll(now.keySet());
        for (String split : splits) {
            String then = saved.get(split);
            String current = now.get(split);
            if (!Objects.equals(then, current)) {
                changed.add(split + " (" + abbreviated(then) + " then, " + abbreviated(current) + " now)");
            }
        }
        throw new Mismatch(file + ": the data changed since the run started: " + String.join(", ", changed)
                + "; allowed: the data the run was trained on");
    }

    /** A fingerprint's first 12 characters, enough to tell two apart in a message; "none" for a split not there. */
    private static String abbreviated(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.substring(0, Math.min(12, fingerprint.length())) + "…";
    }

    private static void check(Path file, String what, String saved, String now, String allowed) {
        if (!saved.equals(now)) {
            throw mismatch(file, what, saved, now, allowed);
        }
    }

    private static Mismatch mismatch(Path file, String what, String saved, String now, String allowed) {
        return new Mismatch(file + ": the checkpoint's " + what + " is " + saved + ", but resuming with " + now
                + "; allowed: " + allowed);
    }

    /** The checkpoint was damaged: {@link #corrupt}'s message. */
    private static final class Corrupt extends PromptTuneException {
        Corrupt(String message) {
            super(message);
        }
    }

    private static PromptTuneException corrupt(Path file, String problem) {
        return corrupt(file, problem, "the checkpoint prompttune wrote (saves are atomic: a killed process leaves the "
                + "previous one whole, so a damaged one was changed by something else)");
    }

    private static PromptTuneException corrupt(Path file, String problem, String allowed) {
        return new Corrupt(file + ": corrupt checkpoint: " + problem + "; allowed: " + allowed);
    }
}
