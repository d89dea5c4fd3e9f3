package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Class labels: position i holds the embedding of class label i (the mean of its sub-token embeddings when the
 * label is several tokens); positions beyond the labels are sampled vocabulary as in {@link VocabInit}; labels
 * beyond the prompt length are dropped with a warning.
 */
public record LabelsInit() implements PromptInit {

    @Override
    public float[] values(InitContext ctx) {
        if (ctx.labels() == null || ctx.labels().isEmpty()) {
            throw new PromptTuneException("init 'labels' needs the task's class labels (a verbalizer); this task has none — "
                    + "use init 'vocab' or give labels");
        }
        int used = Math.min(ctx.labels().size(), ctx.length());
        if (ctx.labels().size() > ctx.length()) {
            ctx.warnings().accept("init 'labels': " + ctx.labels().size() + " labels but prompt length " + ctx.length()
                    + "; dropped " + ctx.labels().subList(ctx.length(), ctx.labels().size()));
        }
        // The vocab-sampled part is drawn for the whole prompt and overwritten where labels go, so a prompt's
        // sampled positions do not depend on how many labels the task has.
        float[] out = new VocabInit(VocabInit.PAPER_TOP_K).values(ctx);
        int width = ctx.width();
        for (int i = 0; i < used; i++) {
            System.arraycopy(labelEmbedding(ctx, ctx.labels().get(i)), 0, out, i * width, width);
        }
        return out;
    }

    /** Mean embedding of a label's sub-tokens (no eos). */
    static float[] labelEmbedding(InitContext ctx, String label) {
        long[] ids = ctx.tokenizer().encode(label, false);
        if (ids.length == 0) {
            throw new PromptTuneException("init 'labels': label '" + label + "' tokenizes to nothing");
        }
        float[] rows = ctx.rows(ids);
        int width = ctx.width();
        float[] mean = new float[width];
        for (int t = 0; t < ids.length; t++) {
            for (int h = 0; h < width; h++) {
                mean[h] += rows[t * width + h];
            }
        }
        for (int h = 0; h < width; h++) {
            mean[h] /= ids.length;
        }
        return mean;
    }

    @Override
    public String kind() {
        return "labels";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("rest", "vocab top " + VocabInit.PAPER_TOP_K);
        return d;
    }
}
