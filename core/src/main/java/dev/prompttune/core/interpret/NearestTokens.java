package dev.prompttune.core.interpret;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a soft prompt "says": for each prompt position, the k vocabulary tokens whose input embeddings are closest
 * by cosine similarity (the paper's interpretability analysis). Computed in one pass on the embedding table's
 * device: rows of the prompt [p, H] and of the table [V, H] are L2-normalised, one matmul gives the similarities
 * [p, V], and top-k picks the neighbours.
 *
 * @param positions one entry per prompt position, in order
 */
public record NearestTokens(List<Position> positions) {

    /**
     * The neighbours of one prompt position, best first.
     *
     * @param ids vocabulary ids [k]
     * @param tokens vocabulary entries (sentencepiece pieces such as {@code ▁yes}) [k]
     * @param texts the ids decoded one by one (special tokens as their text) [k]
     * @param scores cosine similarities in [−1, 1] [k]
     */
    public record Position(int index, long[] ids, String[] tokens, String[] texts, float[] scores) {}

    /**
     * For a position initialised from a class label: does it still point at the label?
     *
     * @param labelIds the label's sub-token ids (its prompt vector started as their mean)
     * @param nearestIsLabel the nearest token is one of the label's tokens
     * @param rank 0-based rank among the k neighbours of the best-ranked label token, −1 if none is among them
     * @param score cosine similarity of that token (NaN when rank is −1)
     */
    public record LabelMark(int position, String label, long[] labelIds, boolean nearestIsLabel, int rank, float score) {}

    /**
     * @param prompt row-major [p, h]
     * @param embeddingTable [V, h], any float dtype and device (the model's {@code embeddingTable()})
     * @param tokenizer used to name the ids (its vocabulary may be smaller than V: T5 pads its table)
     * @param k neighbours per position, 1 ≤ k ≤ V
     */
    public static NearestTokens of(float[] prompt, int p, int h, NDArray embeddingTable, T5Tokenizer tokenizer, int k) {
        long vocab = embeddingTable.getShape().get(0);
        if (embeddingTable.getShape().dimension() != 2 || embeddingTable.getShape().get(1) != h) {
            throw new PromptTuneException("nearest tokens: embedding table " + embeddingTable.getShape()
                    + " does not match the prompt width " + h + "; allowed: a table [V, " + h + "]");
        }
        if (p < 1 || prompt.length != (long) p * h) {
            throw new PromptTuneException("nearest tokens: " + prompt.length + " prompt values for [" + p + ", " + h + "]");
        }
        if (k < 1 || k > vocab) {
            throw new PromptTuneException("nearest tokens: k is " + k + "; allowed: 1 <= k <= " + vocab);
        }
        long[] ids;
        float[] scores;
        try (NDManager m = embeddingTable.getManager().newSubManager()) {
            NDArray table = embeddingTable.toType(DataType.FLOAT32, false);
            NDArray tableUnit = table.normalize(2, 1, 1e-12);
            tableUnit.attach(m);
            NDArray promptUnit = m.create(prompt, new Shape(p, h)).toDevice(embeddingTable.getDevice(), false)
                    .normalize(2, 1, 1e-12);
            NDArray similarity = promptUnit.matMul(tableUnit.transpose()); // [p, V]
            NDList top = similarity.topK(k, 1, true, true);
            scores = top.get(0).toFloatArray();
            ids = top.get(1).toType(DataType.INT64, false).toLongArray();
            if (table != embeddingTable) {
                table.close();
            }
        }
        List<Position> out = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            long[] rowIds = new long[k];
            float[] rowScores = new float[k];
            String[] tokens = new String[k];
            String[] texts = new String[k];
            for (int j = 0; j < k; j++) {
                rowIds[j] = ids[i * k + j];
                rowScores[j] = scores[i * k + j];
                boolean named = rowIds[j] < tokenizer.vocabSize();
                tokens[j] = named ? tokenizer.idToToken(rowIds[j]) : "<id " + rowIds[j] + ">";
                texts[j] = named ? tokenizer.decode(new long[] {rowIds[j]}, false) : tokens[j];
            }
            out.add(new Position(i, rowIds, tokens, texts, rowScores));
        }
        return new NearestTokens(List.copyOf(out));
    }

    /**
     * Marks positions 0 … labels.size()−1 as {@code LabelsInit} fills them (position i from label i): whether the
     * nearest token still is the label's token (one of its tokens, for a label of several).
     */
    public List<LabelMark> markLabels(List<String> labels, T5Tokenizer tokenizer) {
        List<LabelMark> marks = new ArrayList<>();
        for (int i = 0; i < Math.min(labels.size(), positions.size()); i++) {
            long[] labelIds = tokenizer.encode(labels.get(i), false);
            Position pos = positions.get(i);
            int rank = -1;
            for (int j = 0; j < pos.ids().length && rank < 0; j++) {
                for (long id : labelIds) {
                    if (pos.ids()[j] == id) {
                        rank = j;
                        break;
                    }
                }
            }
            marks.add(new LabelMark(i, labels.get(i), labelIds, rank == 0, rank, rank < 0 ? Float.NaN : pos.scores()[rank]));
        }
        return List.copyOf(marks);
    }
}
