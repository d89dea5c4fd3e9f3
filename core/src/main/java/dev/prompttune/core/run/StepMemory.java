package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.Locale;

/**
 * Refuses, before any weights load, a batch or prompt length that cannot fit in this machine's memory: without it,
 * {@code batch 1000000} was killed by the kernel's OOM killer mid-run and {@code length 100000} ended in a JVM
 * OutOfMemoryError with a stack trace.
 *
 * <p>The check uses a <em>lower bound</em> of what one step needs, so it never refuses a run that would fit: only
 * tensors a step cannot do without, in float32, with every input as short as possible (one token after the prompt,
 * one target token). A training step keeps every layer's attention probabilities for the backward pass (the prompt's
 * gradient flows back through all of them): encoder self-attention [B, H, T, T], decoder self-attention [B, H, 1, 1]
 * and cross-attention [B, H, 1, T] per layer, and the LM head's logits [B, 1, V]. An evaluation batch holds at least
 * one layer's attention and its logits at once. T = prompt length + 1, or + the input length that some training
 * batch of the run is sure to be padded to ({@link Batches#of}: batches are padded to their longest row).
 *
 * <p>A batch holds at most the split's examples: {@code batch 100000} on 1,862 e-mails trains on all 1,862 at once,
 * each padded to the longest (512 tokens). The bound used to count 100,000 one-token rows: it passed, and the run was
 * killed by the OOM killer at 23 GiB.
 */
final class StepMemory {

    private StepMemory() {}

    /**
     * What a run's batches hold, as far as its data says before any weights load.
     *
     * @param trainRows        training examples: a batch holds at most this many rows ({@code BatchOrder})
     * @param trainInputTokens input tokens that some training batch of the run is sure to be padded to (1 when
     *                         unknown)
     * @param evalRows         examples of the largest split scored (dev or test): an evaluation batch holds at most
     *                         this many rows
     */
    record Batches(int trainRows, int trainInputTokens, int evalRows) {

        /** Nothing known of the data: as many rows as the batch asks for, inputs of one token. */
        static final Batches UNKNOWN = new Batches(Integer.MAX_VALUE, 1, Integer.MAX_VALUE);

        /**
         * The shape of {@code spec}'s batches on training inputs of {@code trainInputLengths} tokens (after the cut
         * at maxInputLength) and scored splits of at most {@code evalRows} examples. An epoch draws every full batch
         * of its shuffle, and only the n mod rows examples left over can be missed: so a run of at least one epoch's
         * batches trains on a batch padded to at least the (n mod rows + 1)-th longest input. A shorter run is
         * bounded with one-token inputs, as it may never meet a long one.
         */
        static Batches of(PromptTuneSpec spec, int[] trainInputLengths, int evalRows) {
            int n = trainInputLengths.length;
            if (n == 0) {
                return new Batches(1, 1, Math.max(1, evalRows));
            }
            int rows = Math.min(spec.batch(), n);
            boolean wholeEpoch = spec.epochs() > 0 || spec.steps() >= n / rows;
            int tokens = 1;
            if (wholeEpoch) {
                int[] sorted = trainInputLengths.clone();
                java.util.Arrays.sort(sorted);
                tokens = Math.max(1, sorted[n - 1 - n % rows]);
            }
            return new Batches(n, tokens, Math.max(1, evalRows));
        }
    }

    /**
     * Checks the spec's training and evaluation batches against the memory available now, within this process's
     * cgroup limit ({@link AvailableMemory}; Linux; elsewhere no check).
     */
    static void check(PromptTuneSpec spec, T5Config config, Batches batches, boolean weightsLoaded) {
        AvailableMemory.now().ifPresent(memory -> check(spec, config, batches, weightsLoaded, memory));
    }

    /** As {@link #check(PromptTuneSpec, T5Config, Batches)}, data unknown, {@code availableBytes} available. */
    static void check(PromptTuneSpec spec, T5Config config, long availableBytes) {
        check(spec, config, Batches.UNKNOWN, true, new AvailableMemory(availableBytes, 0, null));
    }

    /**
     * @param weightsLoaded whether this process holds the model's weights already (a notebook's second run): the
     *                      memory available then excludes them
     */
    static void check(PromptTuneSpec spec, T5Config config, Batches batches, boolean weightsLoaded,
            AvailableMemory memory) {
        long weights = weightsLoaded ? 0 : weightBytes(config, spec.precision());
        if (weights > memory.bytes()) {
            boolean halfFits = "fp32".equals(spec.precision()) && weights / 2 < memory.bytes();
            throw new PromptTuneException(String.format(Locale.ROOT, "model '%s': its weights alone need at least %s "
                    + "(%,d numbers in %s), and %s; allowed here: a model whose weights fit%s", spec.model(),
                    gib(weights), weights / bytesPerNumber(spec.precision()), spec.precision(), memory.describe(),
                    halfFits ? ", or precision 'fp16' (" + gib(weights / 2.0) + ")" : ""));
        }
        require("batch", spec.batch(), batches.trainRows(), "training", spec.length(), batches.trainInputTokens(), config,
                true, memory, weights);
        require("evalBatch", spec.evalBatch(), batches.evalRows(), "dev or test", spec.length(), 1, config, false, memory,
                weights);
    }

    /**
     * A lower bound of the model's weights in memory: the embedding (and the LM head when untied), and each layer's
     * attention projections (q, k, v, o; twice in a decoder layer, with cross-attention) and feed-forward matrices.
     * Norms and relative-position tables are left out.
     */
    static long weightBytes(T5Config c, String precision) {
        long d = c.dModel;
        long inner = c.innerDim();
        long ff = (c.gated ? 3L : 2L) * d * c.dFf;
        long numbers = (c.tieWordEmbeddings ? 1L : 2L) * c.vocabSize * d
                + c.numLayers * (4 * d * inner + ff)
                + c.numDecoderLayers * (8 * d * inner + ff);
        return numbers * bytesPerNumber(precision);
    }

    private static int bytesPerNumber(String precision) {
        return Session.dataType(precision).getNumOfBytes();
    }

    /**
     * Refuses when {@code rows} = min({@code batch}, {@code examples}) examples of {@code length} prompt vectors and
     * {@code inputTokens} input tokens cannot fit beside {@code weights} bytes of weights still to load.
     */
    private static void require(String batchName, int batch, int examples, String split, int length, int inputTokens,
            T5Config config, boolean training, AvailableMemory memory, long weights) {
        long available = memory.bytes() - weights;
        String besides = weights > 0 ? " (" + gib(weights) + " of it for the model's weights)" : "";
        int rows = Math.min(batch, examples);
        long perExample = perExample(config, length, inputTokens, training);
        if (perExample <= available / rows) { // not perExample * rows: that overflows a long for huge lengths
            return;
        }
        String what = training ? "one training step" : "one evaluation batch";
        String inputs = inputTokens > 1 ? " and training inputs of " + inputTokens + " tokens" : "";
        if (perExample > available) {
            int fits = longestPrompt(config, inputTokens, training, available);
            throw new PromptTuneException(String.format(Locale.ROOT, "length is %d: %s needs at least %s for a single "
                    + "example at that prompt length%s (its attention alone), and %s%s; allowed here: length <= %d",
                    length, what, gib(perExample), inputs, memory.describe(), besides, fits));
        }
        long fits = available / perExample;
        String capped = rows < batch ? String.format(Locale.ROOT, ", %d rows: a batch holds at most the %d %s examples",
                rows, examples, split) : "";
        throw new PromptTuneException(String.format(Locale.ROOT, "%s is %d: %s needs at least %s (attention and logits "
                + "alone, with prompt length %d%s%s), and %s%s; allowed here: %s <= %d%s",
                batchName, batch, what, gib(perExample * (double) rows), length, inputs, capped, memory.describe(),
                besides, batchName, fits, training ? " (gradientAccumulation keeps the effective batch)" : ""));
    }

    /** The lower bound in bytes for one example of a step, prompt length {@code length}, one input token. */
    static long perExample(T5Config c, int length, boolean training) {
        return perExample(c, length, 1, training);
    }

    /** The lower bound in bytes for one example of a step: {@code length} prompt vectors, {@code inputTokens} tokens. */
    static long perExample(T5Config c, int length, int inputTokens, boolean training) {
        try {
            long t = (long) length + inputTokens;
            long encoderLayer = Math.multiplyExact(Math.multiplyExact((long) c.numHeads, t), t);
            long decoderLayer = (long) c.numHeads * (1 + t);
            long floats = training
                    ? Math.addExact(Math.multiplyExact((long) c.numLayers, encoderLayer), c.numDecoderLayers * decoderLayer
                            + c.vocabSize)
                    : Math.max(encoderLayer, decoderLayer) + c.vocabSize;
            return Math.multiplyExact(4L, floats);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // more bytes than a long counts: no machine has them
        }
    }

    /** The longest prompt whose single example fits in {@code available} bytes. */
    static int longestPrompt(T5Config c, boolean training, long available) {
        return longestPrompt(c, 1, training, available);
    }

    /** The longest prompt whose single example of {@code inputTokens} input tokens fits in {@code available} bytes. */
    static int longestPrompt(T5Config c, int inputTokens, boolean training, long available) {
        int lo = 0;
        int hi = 1 << 24;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (perExample(c, mid, inputTokens, training) <= available) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static String gib(double bytes) {
        return AvailableMemory.gib(bytes);
    }
}
