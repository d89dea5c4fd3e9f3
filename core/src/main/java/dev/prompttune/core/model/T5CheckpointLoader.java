package dev.prompttune.core.model;

import ai.djl.ndarray.NDArray;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.Checkpoint;
import dev.prompttune.core.io.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a {@link T5Model}'s declared weights from a checkpoint directory by Hugging Face tensor name.
 *
 * <p>Rules: the embedding table is {@code shared.weight}, or, where a writer left that out,
 * {@code encoder.embed_tokens.weight} / {@code decoder.embed_tokens.weight} (the reference ties all three);
 * a tied head ignores any {@code lm_head.weight}; every declared weight must be present with the shape the
 * config implies (else one error naming them); tensors nobody asked for are ignored with one warning.
 */
public final class T5CheckpointLoader {

    private static final Logger LOG = LoggerFactory.getLogger(T5CheckpointLoader.class);
    private static final List<String> EMBEDDING_ALIASES =
            List.of("shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight");

    private T5CheckpointLoader() {}

    static void load(T5Model model, Path dir) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Set<String> used = new HashSet<>();
            List<String> missing = new ArrayList<>();
            for (T5Weights.Declared declared : model.weights().all().values()) {
                String source = sourceName(declared.name(), checkpoint);
                if (source == null) {
                    missing.add(declared.name());
                    continue;
                }
                TensorInfo info = checkpoint.info(source);
                if (!Arrays.equals(info.shape(), declared.shape().getShape())) {
                    throw new PromptTuneException(dir + ": tensor '" + source + "' has shape " + Arrays.toString(info.shape())
                            + " but config.json implies " + Arrays.toString(declared.shape().getShape()) + " ("
                            + describe(model.config()) + ")");
                }
                NDArray array = checkpoint.load(source, model.manager(), model.dataType());
                declared.parameter().setArray(array);
                used.add(source);
            }
            if (!missing.isEmpty()) {
                throw new PromptTuneException(dir + ": checkpoint lacks " + missing.size() + " weight(s) the config needs: "
                        + preview(missing, 8));
            }
            Set<String> unknown = new TreeSet<>(checkpoint.names());
            unknown.removeAll(used);
            unknown.removeAll(EMBEDDING_ALIASES);
            if (model.config().tieWordEmbeddings) {
                unknown.remove("lm_head.weight");
            }
            if (!unknown.isEmpty()) {
                LOG.warn("{}: ignoring {} tensor(s) a T5 model does not use: {}", dir, unknown.size(),
                        preview(new ArrayList<>(unknown), 5));
            }
        }
    }

    private static String sourceName(String declared, Checkpoint checkpoint) {
        if (checkpoint.has(declared)) {
            return declared;
        }
        if (declared.equals("shared.weight")) {
            for (String alias : EMBEDDING_ALIASES) {
                if (checkpoint.has(alias)) {
                    return alias;
                }
            }
        }
        return null;
    }

    /**
     * The input embedding table of a checkpoint directory as float32, row-major [V, H], read without building a model
     * (for a prompt's {@code EmbeddingFingerprint} where no model is loaded).
     */
    public static float[] embeddingTable(Path dir) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            String source = sourceName("shared.weight", checkpoint);
            if (source == null) {
                throw new PromptTuneException(dir + ": checkpoint has no embedding table; allowed: one of " + EMBEDDING_ALIASES);
            }
            return checkpoint.readFloats(source);
        }
    }

    private static String describe(T5Config c) {
        return "vocab_size " + c.vocabSize + ", d_model " + c.dModel + ", d_kv " + c.dKv + ", num_heads " + c.numHeads
                + ", d_ff " + c.dFf + ", relative_attention_num_buckets " + c.relativeAttentionNumBuckets;
    }

    private static String preview(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + ", … (" + (names.size() - max) + " more)";
    }

}
