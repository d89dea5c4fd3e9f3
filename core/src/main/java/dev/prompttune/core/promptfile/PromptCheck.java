package dev.prompttune.core.promptfile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.spec.ModelResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The one check a prompt read from a file passes before a model uses it ({@code init file}, {@code loadPrompt} /
 * {@code %loadPrompt}, {@code eval}, {@code export-peft}, {@code import-peft}): its width is the model's d_model,
 * every value is finite, and, when the file records the embedding fingerprint of the model it was trained on, that
 * fingerprint is the model's. Only the fingerprint can be overridden, and only explicitly ({@code anyModel}: the
 * DSL's {@code init file('p.safetensors', anyModel: true)}, the command line's and {@code %loadPrompt}'s
 * {@code --any-model}): a prompt means something only next to the embeddings it was trained with.
 * Errors are one line: the file, what is wrong, what is allowed.
 */
public final class PromptCheck {

    /** How to override a fingerprint mismatch, on every surface (one text for every message). */
    public static final String ANY_MODEL = "--any-model (command line, %loadPrompt) or anyModel: true (DSL: "
            + "init file('…', anyModel: true), loadPrompt('…', anyModel: true))";

    private PromptCheck() {}

    /**
     * The model a prompt is about to be used with.
     *
     * @param name the model's name for messages (a registered name or a directory)
     * @param fingerprint its {@link EmbeddingFingerprint}, computed only if the prompt records one; null: not
     *     known here (the fingerprint is then checked where the model is)
     * @param atOtherPrecision the same model's fingerprint at the other precision (fp16 rounds the embedding table,
     *     so a prompt trained with {@code precision 'fp16'} records another fingerprint than one trained at fp32 on
     *     the same checkpoint); null: not known here, and only {@code fingerprint} is accepted
     */
    public record Target(String name, int width, Supplier<String> fingerprint, Supplier<String> atOtherPrecision) {

        /** A model whose fingerprint at its other precision is not known here. */
        public Target(String name, int width, Supplier<String> fingerprint) {
            this(name, width, fingerprint, null);
        }

        /** A loaded model. */
        public static Target of(T5Model model, String name) {
            return ofTable(name, model.config().dModel, model.embeddingTable());
        }

        /**
         * A model in use, by its embedding table [V, H]: at fp32 its fp16 fingerprint is the table rounded; at fp16
         * the fp32 one needs the checkpoint, found when {@code name} is a registered model or a checkpoint folder.
         */
        public static Target ofTable(String name, int width, NDArray table) {
            Supplier<String> other = table.getDataType() == DataType.FLOAT32
                    ? () -> EmbeddingFingerprint.ofRoundedToHalf(table)
                    : () -> fp32FingerprintOf(name);
            return new Target(name, width, () -> EmbeddingFingerprint.of(table), other);
        }

        /** A checkpoint directory not loaded here: its config gives the width, its file the fingerprint. */
        public static Target ofCheckpoint(String name, Path dir, String precision) {
            String other = "fp16".equals(precision) ? "fp32" : "fp16";
            return new Target(name, T5Config.load(dir).dModel, () -> EmbeddingFingerprint.ofCheckpoint(dir, precision),
                    () -> EmbeddingFingerprint.ofCheckpoint(dir, other));
        }

        /** Width only (before weights are loaded); the fingerprint is checked later, against the loaded model. */
        public static Target widthOnly(String name, int width) {
            return new Target(name, width, null);
        }

        /** The fp32 fingerprint of model {@code name}'s checkpoint, or null when the name gives no checkpoint here. */
        private static String fp32FingerprintOf(String name) {
            try {
                return EmbeddingFingerprint.ofCheckpoint(ModelResolver.resolve(name), "fp32");
            } catch (RuntimeException e) {
                return null; // a name this process cannot resolve ("in use"): only the table's own fingerprint counts
            }
        }
    }

    /** Checks a loaded prompt file against {@code target} (null: finiteness only); returns it. */
    public static PromptFile.Loaded check(PromptFile.Loaded prompt, Target target, boolean anyModel) {
        check(prompt.file().toString(), prompt.values(), prompt.length(), prompt.width(), prompt.metadata(), target, anyModel);
        return prompt;
    }

    /**
     * @param file how messages name the prompt's file
     * @param values row-major [length, width]
     * @param meta the metadata saved with the values (null: none; then the fingerprint is not checked)
     * @param target the model that will use the prompt (null: not known; finiteness only)
     */
    public static void check(String file, float[] values, int length, int width, PromptMetadata meta, Target target,
                             boolean anyModel) {
        if (target != null && width != target.width()) {
            throw new PromptTuneException(file + ": the prompt is [" + length + ", " + width + "], vectors of width " + width
                    + ", but model " + target.name() + " has width (d_model) " + target.width() + "; allowed: a prompt of width "
                    + target.width());
        }
        requireFinite(file, values, width);
        String saved = meta == null ? null : meta.embeddingFingerprint();
        if (saved == null || anyModel || target == null || target.fingerprint() == null) {
            return;
        }
        String own = target.fingerprint().get();
        if (!saved.equals(own) && !saved.equals(target.atOtherPrecision() == null ? null : target.atOtherPrecision().get())) {
            String what = sameModel(target.name(), meta.baseModel())
                    ? "the prompt was trained on model " + target.name() + " when its embedding fingerprint was " + EmbeddingFingerprint.shortly(saved)
                            + ", but its weights have changed since (" + EmbeddingFingerprint.shortly(own) + " now)"
                    : "the prompt was trained on " + (meta.baseModel() == null ? "another model" : "model " + meta.baseModel())
                            + " (embedding fingerprint " + EmbeddingFingerprint.shortly(saved) + ") but is being used with model " + target.name()
                            + " (" + EmbeddingFingerprint.shortly(own) + ")";
            throw new PromptTuneException(file + ": " + what + "; allowed: a prompt trained on " + target.name()
                    + "; to use this one anyway: " + ANY_MODEL);
        }
    }

    /** Throws naming the first non-finite value (row, column) and how many there are. */
    public static void requireFinite(String file, float[] values, int width) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new PromptTuneException(file + ": " + bad + " of " + values.length + " prompt values are not finite (the first, "
                    + values[first] + ", at row " + first / width + ", column " + first % width + "); allowed: finite numbers only");
        }
    }

    /** The largest finite half-precision value. */
    public static final float FP16_MAX = 65504f;

    /**
     * Refuses values a half-precision model would turn into infinities (|v| above {@link #FP16_MAX}): finite in the
     * file, they failed the run at its first step ("loss became NaN").
     *
     * @param values row-major [rows, width]; the first {@code count} are checked (the rows the prompt uses)
     */
    public static void requireFitsFp16(String file, float[] values, int width, int count) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < Math.min(count, values.length); i++) {
            if (Math.abs(values[i]) > FP16_MAX) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new PromptTuneException(file + ": " + bad + " of " + Math.min(count, values.length) + " prompt values are "
                    + "beyond half precision's range, ±" + (int) FP16_MAX + " (the first, " + values[first] + ", at row "
                    + first / width + ", column " + first % width + "), so with precision 'fp16' they would be infinite; "
                    + "allowed: values within ±" + (int) FP16_MAX + ", or precision 'fp32'");
        }
    }

    /**
     * Whether two names give one model: equal, or resolving to one checkpoint folder (a registered name and its
     * folder's path). Then a fingerprint that differs means the weights changed, not that the model is another.
     */
    private static boolean sameModel(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        try {
            return ModelResolver.resolve(a).toRealPath().equals(ModelResolver.resolve(b).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false; // a name or folder that is not here: not shown to be the same
        }
    }

}
