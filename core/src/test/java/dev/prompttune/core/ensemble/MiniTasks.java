package dev.prompttune.core.ensemble;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.TokenizedSplit;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.prompt.VocabInit;
import dev.prompttune.core.spec.Home;
import dev.prompttune.core.spec.TaskResolver;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Path;
import java.util.List;

/**
 * The shipped {@code models/t5-mini} with real task data from {@code data/tasks}: label log-likelihoods of realistic
 * size (a model that has seen text, scoring verbalizer words), unlike the random fixture models whose label scores
 * sit near −50. Nothing here depends on the model's exact weights: tests compare two computations with it.
 */
final class MiniTasks {

    /** A task's first examples of its dev split and its class targets (eos included). */
    record Task(String name, long[][] inputs, long[][] classTargets) {}

    private MiniTasks() {}

    static Path modelDir() {
        return Home.models().resolve("t5-mini");
    }

    /**
     * @param sentinel targets start with {@code <extra_id_0>} (the paper's span-corruption setting; one token more)
     */
    static Task task(String name, int examples, int maxInputLength, boolean sentinel, T5Tokenizer tokenizer) {
        TaskResolver.Task t = TaskResolver.resolve(name);
        TaskData data = TaskData.builder().train(t.train()).dev(t.dev()).template(t.template()).verbalizer(t.labels())
                .labelField(t.labelField()).build();
        TokenizedSplit dev = data.tokenize(data.dev().orElseThrow(), tokenizer, maxInputLength, 8);
        long[][] inputs = new long[examples][];
        for (int i = 0; i < examples; i++) {
            inputs[i] = java.util.Arrays.stream(dev.inputIds(i)).asLongStream().toArray();
        }
        List<String> targets = data.verbalizer().targets();
        long[][] classTargets = new long[targets.size()][];
        for (int c = 0; c < classTargets.length; c++) {
            long[] ids = tokenizer.encode(targets.get(c));
            if (sentinel) {
                long[] withSentinel = new long[ids.length + 1];
                withSentinel[0] = tokenizer.sentinelId(0);
                System.arraycopy(ids, 0, withSentinel, 1, ids.length);
                ids = withSentinel;
            }
            classTargets[c] = ids;
        }
        return new Task(name, inputs, classTargets);
    }

    static T5Tokenizer tokenizer() {
        return T5Tokenizers.load(modelDir());
    }

    /** A prompt initialised as the paper's sampled-vocabulary init: embeddings of {@code length} common tokens. */
    static SoftPrompt vocabPrompt(T5Model model, int length, long seed, NDManager manager) {
        int h = model.config().dModel;
        long[] ids = new VocabInit(VocabInit.PAPER_TOP_K).ids(length, model.config().vocabSize, seed);
        float[] table = model.embeddingTable().toFloatArray();
        float[] values = new float[length * h];
        for (int p = 0; p < length; p++) {
            System.arraycopy(table, (int) ids[p] * h, values, p * h, h);
        }
        return SoftPrompt.of(values, length, h, manager);
    }
}
