package dev.prompttune.core.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.verify.Comparison;
import dev.prompttune.core.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a PEFT prompt-tuning adapter means the same here as in PEFT: the adapter is imported, put before the
 * base model's encoder input as {@code PeftModelForSeq2SeqLM} does (first p rows, mask ones), and compared with the
 * reference outputs in {@code ADAPTER/expected.safetensors}: {@code loss} and {@code logits} (1e-4; logits also
 * 1e-4 relative), {@code generate_ids} (exact), {@code prompt_final} (equal to the adapter's tensor), and, when the
 * training record is there ({@code prompt_init}, {@code train_losses}, {@code prompt_trajectory}), a replay of
 * the training with transformers' Adafactor: per-step loss and whole-tensor errors (1e-4).
 */
public final class PeftVerifier {

    public static final double ABS = 1e-4;
    public static final double REL = 1e-4;
    /** Learning rate when expected.json's "optimizer" text does not state {@code lr=…}. */
    public static final float DEFAULT_LR = 0.3f;

    private static final Pattern LR = Pattern.compile("\\blr\\s*=\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    private PeftVerifier() {}

    /**
     * @param baseModelDir the base checkpoint; null: the adapter's parent if it has config.json, else
     *     base_model_name_or_path resolved against the adapter's parent
     */
    public static VerificationReport verify(Path adapterDir, Path baseModelDir) {
        PeftAdapter adapter = PeftAdapter.importFrom(adapterDir);
        Path expectedFile = adapterDir.resolve("expected.safetensors");
        if (!Files.isRegularFile(expectedFile)) {
            throw new PromptTuneException(adapterDir + " has no expected.safetensors: nothing to verify against");
        }
        Path base = resolveBase(adapterDir, baseModelDir, adapter);
        JsonObject info = expectedJson(adapterDir);
        VerificationReport report = new VerificationReport(adapterDir.toString());
        try (NDManager manager = NDManager.newBaseManager();
             SafetensorsFile ref = SafetensorsFile.open(expectedFile);
             T5Model model = T5Model.load(base, manager)) {
            if (model.config().dModel != adapter.width()) {
                throw new PromptTuneException("PEFT adapter " + adapterDir + " has token_dim " + adapter.width()
                        + "; base model " + base + " has d_model " + model.config().dModel + "; they must be equal");
            }
            if (ref.tensors().containsKey("prompt_final")) {
                report.add(Comparison.of("prompt_final", adapter.stored(), ref.readFloats("prompt_final"), 0, 0));
            }
            if (!ref.tensors().containsKey("input_ids")) {
                return report;
            }
            NDArray ids = load(ref, "input_ids", manager);
            NDArray mask = load(ref, "attention_mask", manager);
            int p = adapter.length();
            NDArray prompt = manager.create(adapter.values(), new Shape(p, adapter.width()));
            long rows = ids.getShape().get(0);
            NDArray embeddings = NDArrays.concat(new NDList(prompt.expandDims(0).repeat(0, rows), model.embed(ids)), 1);
            NDArray promptMask = manager.ones(new Shape(rows, p), mask.getDataType()).concat(mask, 1);
            if (ref.tensors().containsKey("labels")) {
                NDArray labels = load(ref, "labels", manager);
                NDArray encoded = model.encode(embeddings, promptMask, false);
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded, promptMask, false));
                compare(report, ref, "logits", logits, ABS, REL);
                compare(report, ref, "loss", T5Model.loss(logits, labels), ABS, 0);
                if (ref.tensors().containsKey("prompt_init") && ref.tensors().containsKey("train_losses")
                        && ref.tensors().containsKey("prompt_trajectory")) {
                    replay(report, ref, info, model, ids, mask, labels, p, manager);
                }
            }
            if (ref.tensors().containsKey("generate_ids")) {
                long[] shape = ref.info("generate_ids").shape();
                int limit = maxNewTokens(info, (int) shape[1] - 1);
                long[][] generated = model.generate(embeddings, promptMask, limit);
                report.addExact("generate_ids", Arrays.deepEquals(generated, matrix(ref.readLongs("generate_ids"), shape)));
            }
        }
        return report;
    }

    /** The base model directory {@link #verify} uses (see there); throws naming what was tried. */
    public static Path resolveBase(Path adapterDir, Path explicit, PeftAdapter adapter) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit.resolve("config.json"))) {
                throw new PromptTuneException("--base " + explicit + " is not a model directory (no config.json)");
            }
            return explicit;
        }
        Path parent = adapterDir.toAbsolutePath().normalize().getParent();
        if (parent != null && Files.isRegularFile(parent.resolve("config.json"))) {
            return parent;
        }
        String name = adapter.baseModel();
        Path candidate = name == null || parent == null ? null : parent.resolve(name).normalize();
        if (candidate != null && Files.isRegularFile(candidate.resolve("config.json"))) {
            return candidate;
        }
        throw new PromptTuneException("PEFT adapter " + adapterDir + ": base model not found (tried " + parent
                + (candidate != null ? " and " + candidate : "") + " for base_model_name_or_path "
                + (name == null ? "null" : "'" + name + "'") + "); pass --base DIR");
    }

    private static void replay(VerificationReport report, SafetensorsFile ref, JsonObject info, T5Model model, NDArray ids,
                               NDArray mask, NDArray labels, int p, NDManager manager) {
        long[] initShape = ref.info("prompt_init").shape();
        float[] expectedLosses = ref.readFloats("train_losses");
        float[] trajectory = ref.readFloats("prompt_trajectory");
        int rows = (int) initShape[0];
        int width = (int) initShape[1];
        int steps = expectedLosses.length;
        if (initShape.length != 2 || rows < p || trajectory.length != (long) steps * rows * width) {
            throw new PromptTuneException("expected.safetensors: prompt_init " + Arrays.toString(initShape)
                    + ", train_losses [" + steps + "] and prompt_trajectory (" + trajectory.length
                    + " values) disagree; allowed: prompt_init [rows >= " + p + ", H], trajectory [steps, rows, H]");
        }
        PeftReplay.Result result = PeftReplay.run(model, ids, mask, labels, ref.readFloats("prompt_init"), rows, p,
                Adafactor.huggingFace(learningRate(info)), steps, true, manager);
        for (int step = 0; step < steps; step++) {
            report.add(Comparison.of("train_losses[" + step + "]", new float[] {result.losses()[step]},
                    new float[] {expectedLosses[step]}, ABS, 0));
            float[] expected = Arrays.copyOfRange(trajectory, step * rows * width, (step + 1) * rows * width);
            report.add(Comparison.of("prompt_trajectory[" + step + "]", result.after(step), expected, ABS, 0));
        }
    }

    /** The {@code lr=…} in expected.json's "optimizer" text, else {@link #DEFAULT_LR}. */
    static float learningRate(JsonObject info) {
        JsonElement optimizer = info.get("optimizer");
        if (optimizer != null && optimizer.isJsonPrimitive()) {
            Matcher m = LR.matcher(optimizer.getAsString());
            if (m.find()) {
                return Float.parseFloat(m.group(1));
            }
        }
        return DEFAULT_LR;
    }

    private static int maxNewTokens(JsonObject info, int fallback) {
        for (String section : new String[] {"batch", "generate", "generation"}) {
            if (info.has(section) && info.get(section).isJsonObject()
                    && info.getAsJsonObject(section).has("max_new_tokens")) {
                return info.getAsJsonObject(section).get("max_new_tokens").getAsInt();
            }
        }
        return info.has("max_new_tokens") ? info.get("max_new_tokens").getAsInt() : fallback;
    }

    private static JsonObject expectedJson(Path adapterDir) {
        Path json = adapterDir.resolve("expected.json");
        if (!Files.isRegularFile(json)) {
            return new JsonObject();
        }
        return JsonFiles.readObject(json);
    }

    private static NDArray load(SafetensorsFile ref, String name, NDManager manager) {
        String dtype = ref.info(name).dtype();
        return ref.load(name, manager, dtype.startsWith("I") || dtype.startsWith("U") ? DataType.INT64 : DataType.FLOAT32);
    }

    private static void compare(VerificationReport report, SafetensorsFile ref, String name, NDArray actual, double abs,
                                double rel) {
        if (!ref.tensors().containsKey(name)) {
            return;
        }
        long[] shape = ref.info(name).shape();
        float[] got = actual.toType(DataType.FLOAT32, false).toFloatArray();
        boolean sameShape = Arrays.equals(shape, actual.getShape().getShape())
                || (shape.length == 1 && shape[0] == 1 && got.length == 1);
        report.add(sameShape ? Comparison.of(name, got, ref.readFloats(name), abs, rel)
                : new Comparison(name, Double.POSITIVE_INFINITY, abs, rel, false));
    }

    private static long[][] matrix(long[] flat, long[] shape) {
        long[][] out = new long[(int) shape[0]][(int) shape[1]];
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(flat, r * out[r].length, out[r], 0, out[r].length);
        }
        return out;
    }
}
