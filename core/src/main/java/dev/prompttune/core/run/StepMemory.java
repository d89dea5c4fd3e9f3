package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.SettingProblems;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, before any weights load, a batch or prompt length that cannot fit in this machine's memory: without it,
 * {@code batch 1000000} was killed by the kernel's OOM killer mid-run and {@code length 100000} ended in a JVM
 * OutOfMemoryError with a stack trace.
 *
 * <p>The check uses a <em>lower bound</em> of what one step needs, so it never refuses a run that would fit: only
 * tensors a step cannot do without, in float32, with every input as short as the data allows (the shortest training
 * input after the prompt, or one token where the data is not known; one target token). A training step keeps, for the backward pass (the prompt's gradient flows back through every
 * layer, so autograd saves what each layer's input gradient needs), per encoder layer: the attention probabilities
 * [B, H, T, T]; the queries, keys and values [B, T, inner] (inner = H × d_kv), which the two attention products
 * need; the inputs of its two RMS norms [B, T, d_model]; and the feed-forward's [B, T, d_ff] activations: the GELU's
 * input, its output and the gate's (3) in a gated block, the ReLU's output (1) in T5 1.0's. Per decoder layer: its
 * self-attention [B, H, 1, 1], cross-attention [B, H, 1, T] and the cross-attention's keys and values of the encoder
 * output [B, T, inner] twice; and the LM head's logits [B, 1, V]. An evaluation batch holds at least one layer's
 * attention or feed-forward activations (2 of them at once in a gated block) and the logits at once. T = prompt
 * length + 1, or + the input length that some training batch of the run is sure to be padded to ({@link Batches#of}:
 * batches are padded to their longest row). Measured against it (t5-mini-wide, prompt length 100, batch 32, inputs
 * of 512 tokens): the step took 4.6 GiB (peak RSS 5,203 MiB, against 537 MiB at batch 1), the bound says 2.1 GiB;
 * counting attention and logits alone it said 0.7.
 *
 * <p>A local Spark cluster ({@code cluster 'local[N]'}) runs its N tasks' steps at once in this process, each on its
 * own micro-batch of {@code batch} rows: the training bound counts N of them.
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
         * bounded by the shortest input, which every batch is padded to at least: it may never meet a long one.
         */
        static Batches of(PromptTuneSpec spec, int[] trainInputLengths, int evalRows) {
            int n = trainInputLengths.length;
            if (n == 0) {
                return new Batches(1, 1, Math.max(1, evalRows));
            }
            int rows = Math.min(spec.batch(), n);
            boolean wholeEpoch = spec.epochs() > 0 || spec.steps() >= n / rows;
            int[] sorted = trainInputLengths.clone();
            java.util.Arrays.sort(sorted);
            // Every batch is padded to its longest row, which is at least the split's shortest input.
            int tokens = Math.max(1, wholeEpoch ? sorted[n - 1 - n % rows] : sorted[0]);
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
        // Both batches are checked, and both problems said: following the batch's advice alone met the evalBatch's.
        List<String> problems = new ArrayList<>();
        for (Runnable check : List.<Runnable>of(
                () -> require("batch", spec.batch(), batches.trainRows(), "training", spec.length(),
                        batches.trainInputTokens(), config, true, memory, weights),
                () -> require("evalBatch", spec.evalBatch(), batches.evalRows(), "dev or test", spec.length(), 1, config,
                        false, memory, weights))) {
            try {
                check.run();
            } catch (PromptTuneException e) {
                if (!problems.isEmpty() && e.getMessage().startsWith("length is")) {
                    continue; // the one prompt length both would name: said once
                }
                problems.add(e.getMessage());
            }
        }
        SettingProblems.throwIfAny(problems);
        requireLocalTasks(spec, config, batches, memory, weights);
    }

    /**
     * Refuses a local cluster whose tasks' steps, each of which fits alone ({@link #require} checked one), cannot fit
     * together: {@code cluster 'local[64]'} on a 2-core, 24 GiB machine was killed by the OOM killer.
     */
    private static void requireLocalTasks(PromptTuneSpec spec, T5Config config, Batches batches, AvailableMemory memory,
            long weights) {
        int tasks = localTasks(spec);
        if (tasks == 1) {
            return;
        }
        int rows = Math.min(spec.batch(), batches.trainRows());
        double step = (double) rows * perExample(config, spec.length(), batches.trainInputTokens(), true);
        long available = memory.bytes() - weights;
        if (step * tasks <= available) {
            return;
        }
        long fit = (long) (available / step);
        throw new PromptTuneException(String.format(Locale.ROOT, "cluster '%s' runs %d training steps at once in this "
                + "process (one per task, %d rows each): together at least %s (the activations they cannot do without, "
                + "prompt length %d), and %s%s; allowed here: at most %d tasks at once (local[%d]), or a smaller batch",
                spec.cluster().master(), tasks, rows, gib(step * tasks), spec.length(), memory.describe(),
                weightsPart(weights), fit, fit));
    }

    /**
     * The training steps this process computes at once: 1, or for a local Spark cluster the tasks it runs together
     * (its workers, at most N of {@code local[N]}), each on its own micro-batch. A real cluster's executors are other
     * processes.
     */
    static int localTasks(PromptTuneSpec spec) {
        ClusterSpec cluster = spec.cluster();
        if (cluster == null || !cluster.local()) {
            return 1;
        }
        return Math.max(1, Math.min(cluster.workers(), ClusterSpec.localCores(cluster.master())));
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
        // The advised bound keeps a tenth of the memory free: it is read again at the next run, and a value right at
        // the bound measured now was refused then when a little less was free.
        long advisable = available - available / 10;
        String besides = weightsPart(weights);
        int rows = Math.min(batch, examples);
        long perExample = perExample(config, length, inputTokens, training);
        if (perExample <= available / rows) { // not perExample * rows: that overflows a long for huge lengths
            return;
        }
        String what = training ? "one training step" : "one evaluation batch";
        String inputs = inputTokens > 1 ? " and training inputs of " + inputTokens + " tokens" : "";
        if (perExample > available) {
            int fits = longestPrompt(config, inputTokens, training, advisable);
            String allowed = fits >= 1 ? "length <= " + fits
                    : "more free memory, or shorter inputs (maxInputLength): no prompt length fits beside these";
            throw new PromptTuneException(String.format(Locale.ROOT, "length is %d: %s needs at least %s for a single "
                    + "example at that prompt length%s (the activations it cannot do without), and %s%s; allowed here: %s",
                    length, what, gib(perExample), inputs, memory.describe(), besides, allowed));
        }
        long fits = Math.max(1, advisable / perExample); // one row fits (checked above)
        String capped = rows < batch ? String.format(Locale.ROOT, ", %d rows: a batch holds at most the %d %s examples",
                rows, examples, split) : "";
        throw new PromptTuneException(String.format(Locale.ROOT, "%s is %d: %s needs at least %s (the activations "
                + "it cannot do without, with prompt length %d%s%s), and %s%s; allowed here: %s <= %d%s",
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
            long attention = Math.multiplyExact(Math.multiplyExact((long) c.numHeads, t), t);
            long inner = c.innerDim();
            long floats;
            if (training) {
                long feedForward = Math.multiplyExact((c.gated ? 3L : 1L) * c.dFf, t);
                long encoderLayer = Math.addExact(Math.addExact(attention, Math.multiplyExact(3L * inner + 2L * c.dModel, t)),
                        feedForward);
                long decoderLayer = Math.addExact((long) c.numHeads * (1 + t), Math.multiplyExact(2L * inner, t));
                floats = Math.addExact(Math.addExact(Math.multiplyExact((long) c.numLayers, encoderLayer),
                        Math.multiplyExact((long) c.numDecoderLayers, decoderLayer)), c.vocabSize);
            } else {
                long feedForward = Math.multiplyExact((c.gated ? 2L : 1L) * c.dFf, t);
                floats = Math.addExact(Math.max(attention, feedForward), c.vocabSize);
            }
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

    /** " (X GiB of it for the model's weights)" after the memory available, or nothing when they are loaded. */
    private static String weightsPart(long weights) {
        return weights > 0 ? " (" + gib(weights) + " of it for the model's weights)" : "";
    }

    private static String gib(double bytes) {
        return AvailableMemory.gib(bytes);
    }
}
