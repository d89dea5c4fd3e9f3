package dev.prompttune.core.verify;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.model.RelativePositionBuckets;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks a T5 checkpoint directory against reference outputs stored beside it in {@code expected.safetensors}
 * (the layout of {@code shared/fixtures/t5/*}): every case whose tensors are present is run — plain forward,
 * loss, generation; prompted forward, loss, dL/dP, generation; relative-position bucket tables.
 *
 * <p>Tolerances: hidden states, gradients and losses 1e-4 absolute; logits 1e-4 absolute + 1e-4 relative;
 * ids exact.
 */
public final class T5Verifier {

    public static final double ABS = 1e-4;
    public static final double REL = 1e-4;

    private T5Verifier() {}

    public static VerificationReport verify(Path dir) {
        Path expectedFile = dir.resolve("expected.safetensors");
        if (!Files.isDirectory(dir)) {
            throw new PromptTuneException("checkpoint directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(expectedFile)) {
            throw new PromptTuneException(dir + " has no expected.safetensors: nothing to verify against");
        }
        int maxNewTokens = maxNewTokens(dir);
        VerificationReport report = new VerificationReport(dir.toString());
        try (NDManager manager = NDManager.newBaseManager();
             SafetensorsFile expected = SafetensorsFile.open(expectedFile);
             T5Model model = T5Model.load(dir, manager)) {
            Reference ref = new Reference(expected, manager);
            checkBuckets(model.config(), ref, report);
            if (ref.has("input_ids")) {
                NDArray ids = ref.get("input_ids");
                NDArray mask = ref.get("attention_mask");
                if (ref.has("encoder_last_hidden_state") || ref.has("logits") || ref.has("loss") || ref.has("generate_ids")) {
                    runCase("", model, model.embed(ids), mask, ref, report, maxNewTokens);
                }
                if (ref.has("prompt")) {
                    runPromptCase(model, ids, mask, ref, report, maxNewTokens);
                }
            }
        }
        return report;
    }

    /** The plain case (prefix "") or the prompted one (prefix "prompt_") over given encoder embeddings. */
    private static void runCase(String prefix, T5Model model, NDArray embeddings, NDArray mask, Reference ref,
                                VerificationReport report, int maxNewTokens) {
        NDArray encoded = model.encode(embeddings, mask, false);
        ref.compare(report, prefix + "encoder_last_hidden_state", encoded, ABS, 0);
        if (ref.has("labels")) {
            NDArray labels = ref.get("labels");
            NDArray decoderInput = model.shiftRight(labels);
            if (prefix.isEmpty() && ref.has("decoder_input_ids")) {
                report.addExact("decoder_input_ids", Arrays.equals(decoderInput.toLongArray(), ref.get("decoder_input_ids").toLongArray()));
            }
            NDArray hidden = model.decode(decoderInput, encoded, mask, false);
            ref.compare(report, prefix + "decoder_last_hidden_state", hidden, ABS, 0);
            NDArray logits = model.logits(hidden);
            ref.compare(report, prefix + "logits", logits, ABS, REL);
            ref.compare(report, prefix + "loss", T5Model.loss(logits, labels), ABS, 0);
        }
        String genName = prefix + "generate_ids";
        if (ref.has(genName)) {
            // Without a stated max_new_tokens, the reference's width tells it (generation that stopped early on eos
            // stops at the same step here too).
            int limit = maxNewTokens >= 0 ? maxNewTokens : (int) ref.shape(genName)[1] - 1;
            long[][] generated = model.generate(embeddings, mask, limit);
            report.addExact(genName, Arrays.deepEquals(generated, ref.longMatrix(genName)));
        }
    }

    private static void runPromptCase(T5Model model, NDArray ids, NDArray mask, Reference ref, VerificationReport report,
                                      int maxNewTokens) {
        NDArray prompt = ref.get("prompt"); // [p, H]
        long rows = ids.getShape().get(0);
        long p = prompt.getShape().get(0);
        NDArray promptMask = ids.getManager().ones(new ai.djl.ndarray.types.Shape(rows, p), mask.getDataType())
                .concat(mask, 1);
        if (ref.has("prompt_attention_mask")) {
            report.addExact("prompt_attention_mask",
                    Arrays.equals(promptMask.toType(DataType.INT64, false).toLongArray(), ref.get("prompt_attention_mask").toLongArray()));
        }
        runCase("prompt_", model, prompted(model, prompt, ids), promptMask, ref, report, maxNewTokens);
        if (ref.has("prompt_grad") && ref.has("labels")) {
            NDArray labels = ref.get("labels");
            prompt.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // Dropout off: the reference gradient is deterministic, so it was taken without dropout.
                NDArray encoded = model.encode(prompted(model, prompt, ids), promptMask, false);
                NDArray logits = model.logits(model.decode(model.shiftRight(labels), encoded, promptMask, false));
                collector.backward(T5Model.loss(logits, labels));
            }
            ref.compare(report, "prompt_grad", prompt.getGradient(), ABS, 0);
        }
    }

    /** [P broadcast over the batch ; embed(ids)]: [B, p + T, H]. */
    private static NDArray prompted(T5Model model, NDArray prompt, NDArray ids) {
        NDArray tokens = model.embed(ids);
        long rows = ids.getShape().get(0);
        NDArray batchPrompt = prompt.expandDims(0).repeat(0, rows);
        return NDArrays.concat(new NDList(batchPrompt, tokens), 1);
    }

    private static void checkBuckets(T5Config config, Reference ref, VerificationReport report) {
        if (!ref.has("rel_positions")) {
            return;
        }
        long[] positions = ref.get("rel_positions").toLongArray();
        for (boolean bidirectional : new boolean[] {true, false}) {
            String name = bidirectional ? "rel_buckets_bidirectional" : "rel_buckets_causal";
            if (!ref.has(name)) {
                continue;
            }
            long[] expected = ref.get(name).toLongArray();
            long[] actual = new long[positions.length];
            for (int i = 0; i < positions.length; i++) {
                actual[i] = RelativePositionBuckets.bucket((int) positions[i], bidirectional,
                        config.relativeAttentionNumBuckets, config.relativeAttentionMaxDistance);
            }
            report.addExact(name, Arrays.equals(actual, expected));
        }
    }

    /** {@code batch.max_new_tokens} from expected.json when present, else inferred from generate_ids' width. */
    private static int maxNewTokens(Path dir) {
        Path json = dir.resolve("expected.json");
        if (Files.isRegularFile(json)) {
            JsonObject root = JsonFiles.readObject(json);
            if (root.has("batch") && root.getAsJsonObject("batch").has("max_new_tokens")) {
                return root.getAsJsonObject("batch").get("max_new_tokens").getAsInt();
            }
        }
        return -1;
    }

    /** Reference tensors, read on demand. */
    static final class Reference {
        private final SafetensorsFile file;
        private final NDManager manager;

        Reference(SafetensorsFile file, NDManager manager) {
            this.file = file;
            this.manager = manager;
        }

        boolean has(String name) {
            return file.tensors().containsKey(name);
        }

        NDArray get(String name) {
            String dtype = file.tensors().get(name).dtype();
            return file.load(name, manager, dtype.startsWith("I") || dtype.startsWith("U") ? DataType.INT64 : DataType.FLOAT32);
        }

        long[] shape(String name) {
            return file.tensors().get(name).shape();
        }

        long[][] longMatrix(String name) {
            long[] shape = file.tensors().get(name).shape();
            long[] flat = file.readLongs(name);
            long[][] out = new long[(int) shape[0]][(int) shape[1]];
            for (int r = 0; r < out.length; r++) {
                System.arraycopy(flat, r * out[r].length, out[r], 0, out[r].length);
            }
            return out;
        }

        void compare(VerificationReport report, String name, NDArray actual, double abs, double rel) {
            if (!has(name)) {
                return;
            }
            long[] shape = file.tensors().get(name).shape();
            float[] expected = file.readFloats(name);
            float[] got = actual.toType(DataType.FLOAT32, false).toFloatArray();
            boolean sameShape = Arrays.equals(shape, actual.getShape().getShape())
                    || (shape.length == 1 && shape[0] == 1 && got.length == 1);
            report.add(sameShape ? Comparison.of(name, got, expected, abs, rel)
                    : new Comparison(name, Double.POSITIVE_INFINITY, abs, rel, false));
        }
    }
}
