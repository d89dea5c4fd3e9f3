package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.data.VerbalizerTokens;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TokenizedTask;
import java.util.Arrays;
import java.util.List;

/**
 * A task's splits tokenized (once, through the data cache) into the trainer's arrays, with each class's target
 * ids; with {@code sentinel}, every target starts with {@code <extra_id_0>} (the paper's span-corruption +
 * sentinel setting).
 */
public record TaskArrays(TokenizedTask train, TokenizedTask dev, TokenizedTask test, long[][] classTargets, List<String> targetTexts) {

    static TaskArrays of(TaskData data, T5Tokenizer tokenizer, int maxIn, int maxTarget, boolean sentinel) {
        List<String> targets = data.verbalizer().targets();
        long[][] classTargets = VerbalizerTokens.of(data.verbalizer(), tokenizer, maxTarget);
        for (int c = 0; c < classTargets.length; c++) {
            classTargets[c] = withSentinel(classTargets[c], sentinel, tokenizer);
        }
        TokenizedTask train = split(data, data.train(), tokenizer, maxIn, maxTarget, sentinel, classTargets);
        requireDistinctAfterCut(train, data, tokenizer, maxIn);
        return new TaskArrays(
                train,
                data.dev().map(s -> split(data, s, tokenizer, maxIn, maxTarget, sentinel, classTargets)).orElse(null),
                data.test().filter(data::isLabeled).map(s -> split(data, s, tokenizer, maxIn, maxTarget, sentinel, classTargets)).orElse(null),
                classTargets, targets);
    }

    /**
     * Inputs that differ as text but are all cut to the same tokens (a long template before its first field and a
     * short maxInputLength): every example would look the same to the model. TaskData already refuses inputs that
     * are the same as text.
     */
    private static void requireDistinctAfterCut(TokenizedTask train, TaskData data, T5Tokenizer tokenizer, int maxIn) {
        long[][] in = train.inputs();
        for (long[] row : in) {
            if (!Arrays.equals(row, in[0])) {
                return;
            }
        }
        if (in.length > 1) {
            int whole = tokenizer.encode(data.template().render(data.train().get(0))).length;
            throw new PromptTuneException("maxInputLength " + maxIn + " cuts all " + in.length + " training inputs to the "
                    + "same tokens ('" + tokenizer.decode(in[0]) + "'): the template's text before the part that "
                    + "differs is longer than that (the first input has " + whole + " tokens); raise maxInputLength or "
                    + "shorten the template '" + data.template().text() + "'");
        }
    }

    private static TokenizedTask split(TaskData data, Split split, T5Tokenizer tokenizer, int maxIn, int maxTarget,
                                       boolean sentinel, long[][] classTargets) {
        return task(split.name(), data.tokenize(split, tokenizer, maxIn, maxTarget), sentinel, tokenizer, classTargets);
    }

    /** A tokenized split as the trainer's arrays; an unlabelled example gets class −1. */
    static TokenizedTask task(String name, TokenizedSplit t, boolean sentinel, T5Tokenizer tokenizer, long[][] classTargets) {
        int n = t.size();
        long[][] inputs = new long[n][];
        long[][] outputs = new long[n][];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = toLong(t.inputIds(i));
            outputs[i] = withSentinel(toLong(t.targetIds(i)), sentinel, tokenizer);
            classes[i] = t.labelIndex(i);
        }
        return new TokenizedTask(name, inputs, outputs, classes, classTargets);
    }

    /** {@code ids} with {@code <extra_id_0>} in front when {@code sentinel} is set (else {@code ids} itself). */
    public static long[] withSentinel(long[] ids, boolean sentinel, T5Tokenizer tokenizer) {
        if (!sentinel) {
            return ids;
        }
        long[] out = new long[ids.length + 1];
        out[0] = tokenizer.sentinelId(0);
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /** int token ids as the long ids the model takes. */
    public static long[] toLong(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
