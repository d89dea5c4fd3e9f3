package dev.prompttune.core.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an initialiser may use: the prompt's size, the model's embedding table [V, H], its tokenizer, the task's
 * class labels (verbalizer targets, in class order), the seed, a sink for warnings, and the model's name (for
 * messages).
 */
public record InitContext(int length, int width, NDArray embeddingTable, T5Tokenizer tokenizer, List<String> labels,
                          long seed, Consumer<String> warnings, String model) {

    /** A context whose model has no name to give in messages. */
    public InitContext(int length, int width, NDArray embeddingTable, T5Tokenizer tokenizer, List<String> labels,
                       long seed, Consumer<String> warnings) {
        this(length, width, embeddingTable, tokenizer, labels, seed, warnings, "in use");
    }

    /** Rows of the embedding table as float32, row-major [ids.length, H]. */
    public float[] rows(long[] ids) {
        NDManager m = embeddingTable.getManager();
        try (NDManager scope = m.newSubManager()) {
            NDArray index = scope.create(ids, new Shape(ids.length)).toDevice(embeddingTable.getDevice(), false);
            NDArray rows = ai.djl.nn.core.Embedding.embedding(index, embeddingTable, SparseFormat.DENSE).singletonOrThrow();
            return rows.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    public int vocabSize() {
        return (int) embeddingTable.getShape().get(0);
    }
}
