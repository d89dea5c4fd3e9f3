package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Batches and prompt lengths that cannot fit are refused before weights load, from a lower bound of a step's memory
 * (the built-in models' shape: 4 heads, 4 + 4 layers, vocabulary 8,000; 16 GiB available).
 */
class StepMemoryTest {

    static final T5Config MINI = T5Config.parse("{\"model_type\":\"t5\",\"vocab_size\":8000,\"d_model\":192,\"d_kv\":32,"
            + "\"d_ff\":512,\"num_layers\":4,\"num_decoder_layers\":4,\"num_heads\":4,\"feed_forward_proj\":\"gated-gelu\"}",
            "t5-mini shape");
    static final long AVAILABLE = 16L << 30;

    /**
     * What the advice is computed from: nine tenths of what is available, so that a value at the advised bound still
     * fits when a little less is free at the next run (one was refused then).
     */
    static final long ADVISABLE = AVAILABLE - AVAILABLE / 10;

    static PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().train(Path.of("train.jsonl")).steps(300);
    }

    /**
     * By hand, for this shape (inner = 4 heads × 32 = 128, d_model 192, gated d_ff 512): 4 bytes × (4 encoder layers ×
     * (4 heads × T² attention + 3 × 128 T queries, keys and values + 2 × 192 T norm inputs + 3 × 512 T feed-forward) +
     * 4 decoder layers × (4 × (1 + T) attention + 2 × 128 T cross-attention keys and values) + 8,000 logits).
     */
    static long trainingBytesPerExample(long promptLength) {
        return trainingBytesPerExample(promptLength, 1);
    }

    @Test
    void theBoundIsTheActivationsAStepCannotDoWithout() {
        assertEquals(trainingBytesPerExample(20), StepMemory.perExample(MINI, 20, true));
        assertEquals(4 * (2 * 512 * 101L + 8000), StepMemory.perExample(MINI, 100, false),
                "evaluation: one layer at a time, here the gated feed-forward's two activations [T, d_ff]");
        assertEquals(4 * (4 * 401L * 401 + 8000), StepMemory.perExample(MINI, 400, false), "or its attention [H, T, T]");
    }

    /** T5 1.0's feed-forward (ReLU, not gated) keeps one activation [T, d_ff] for the backward pass, not three. */
    @Test
    void anUngatedFeedForwardCountsOneActivation() {
        T5Config relu = T5Config.parse("{\"model_type\":\"t5\",\"vocab_size\":8000,\"d_model\":192,\"d_kv\":32,"
                + "\"d_ff\":512,\"num_layers\":4,\"num_decoder_layers\":4,\"num_heads\":4,\"feed_forward_proj\":\"relu\"}",
                "t5 1.0 shape");
        long t = 21;
        assertEquals(trainingBytesPerExample(20) - 4 * 4 * 2 * 512 * t, StepMemory.perExample(relu, 20, true));
    }

    @Test
    void ordinaryRunsPass() {
        assertDoesNotThrow(() -> StepMemory.check(spec().length(100).batch(32).build(), MINI, AVAILABLE));
        assertDoesNotThrow(() -> StepMemory.check(spec().length(150).batch(256).build(), MINI, AVAILABLE));
    }

    @Test
    void aBatchThatCannotFitNamesTheLargestThatCan() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().length(20).batch(1_000_000).build(), MINI, AVAILABLE));
        long fits = ADVISABLE / trainingBytesPerExample(20);
        assertTrue(e.getMessage().startsWith("batch is 1000000: one training step needs at least "), e.getMessage());
        assertTrue(e.getMessage().endsWith("this machine has 16.0 GiB available; allowed here: batch <= " + fits
                + " (gradientAccumulation keeps the effective batch)"), e.getMessage());
    }

    @Test
    void aPromptTooLongForEvenOneExampleNamesTheLongestThatFits() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().length(100_000).batch(1).build(), MINI, AVAILABLE));
        int longest = StepMemory.longestPrompt(MINI, true, ADVISABLE);
        assertTrue(trainingBytesPerExample(longest) <= ADVISABLE && trainingBytesPerExample(longest + 1) > ADVISABLE);
        assertTrue(e.getMessage().startsWith("length is 100000: one training step needs at least "), e.getMessage());
        assertTrue(e.getMessage().endsWith("allowed here: length <= " + longest), e.getMessage());
    }

    /**
     * Lengths whose bytes times the batch overflow a long (length 10^8 × batch 32 ≈ 10^19 bytes; up to the largest
     * int): refused like any other. The product used to wrap around to a small number and pass.
     */
    @Test
    void hugeLengthsDoNotOverflowIntoAPass() {
        for (int length : new int[] {100_000_000, 1_000_000_000, Integer.MAX_VALUE - 1}) {
            PromptTuneException e = assertThrows(PromptTuneException.class,
                    () -> StepMemory.check(spec().length(length).batch(32).build(), MINI, AVAILABLE), "length " + length);
            assertTrue(e.getMessage().startsWith("length is " + length + ": one training step needs at least "),
                    e.getMessage());
        }
    }

    @Test
    void theEvaluationBatchIsCheckedToo() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().evalBatch(10_000_000).build(), MINI, AVAILABLE));
        assertTrue(e.getMessage().startsWith("evalBatch is 10000000: one evaluation batch needs at least "), e.getMessage());
    }

    /** A batch and an evalBatch that both do not fit are both said: the batch's advice alone led into the other. */
    @Test
    void aBatchAndAnEvalBatchThatDoNotFitAreBothSaid() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().batch(1_000_000).evalBatch(10_000_000).build(), MINI, AVAILABLE));
        java.util.List<String> all = dev.prompttune.core.SettingProblems.of(e);
        assertEquals(2, all.size(), all.toString());
        assertTrue(all.get(0).startsWith("batch is 1000000: ") && all.get(1).startsWith("evalBatch is 10000000: "),
                all.toString());
        assertEquals(all.get(0), e.getMessage(), "a run reports the first, as before");
    }

    /** The advised values still fit when a twentieth less memory is free at the next check (one was refused then). */
    @Test
    void theAdvisedValuesFitWithALittleLessMemory() {
        long less = AVAILABLE - AVAILABLE / 20;
        String lengthAdvice = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().length(100_000).batch(1).build(), MINI, AVAILABLE)).getMessage();
        int length = Integer.parseInt(lengthAdvice.replaceAll(".*allowed here: length <= (\\d+)$", "$1"));
        StepMemory.check(spec().length(length).batch(1).evalBatch(1).build(), MINI, less);
        String batchAdvice = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().length(20).batch(1_000_000).build(), MINI, AVAILABLE)).getMessage();
        int batch = Integer.parseInt(batchAdvice.replaceAll(".*allowed here: batch <= (\\d+) .*", "$1"));
        StepMemory.check(spec().length(20).batch(batch).build(), MINI, less);
    }

    /** By hand, as above, with {@code inputTokens} input tokens after the prompt: T = prompt length + input tokens. */
    static long trainingBytesPerExample(long promptLength, long inputTokens) {
        long t = promptLength + inputTokens;
        long encoderLayer = 4 * t * t + 3 * 128 * t + 2 * 192 * t + 3 * 512 * t;
        long decoderLayer = 4 * (1 + t) + 2 * 128 * t;
        return 4 * (4 * encoderLayer + 4 * decoderLayer + 8000);
    }

    /** 1,862 training inputs (the spam task's count), the longest cut at 512 tokens. */
    private static int[] spamLikeLengths() {
        int[] lengths = new int[1862];
        java.util.Arrays.fill(lengths, 90);
        lengths[1234] = 512;
        return lengths;
    }

    /**
     * A batch larger than the training split holds the whole split, every row padded to the longest input: batch
     * 100000 on 1,862 e-mails used to be counted as 100,000 one-token rows (5.9 GiB: passed) and was killed by the OOM
     * killer at 23 GiB. Now it is counted as 1,862 rows of 20 + 512 positions, and the batch that may fit is named.
     */
    @Test
    void aBatchIsCappedAtTheSplitAndPaddedToItsLongestInput() {
        PromptTuneSpec spec = spec().length(20).batch(100_000).build();
        StepMemory.Batches batches = StepMemory.Batches.of(spec, spamLikeLengths(), 400);
        assertEquals(new StepMemory.Batches(1862, 512, 400), batches);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> StepMemory.check(spec, MINI, batches, true,
                new AvailableMemory(AVAILABLE, 0, null)));
        long perExample = trainingBytesPerExample(20, 512);
        assertTrue(1862 * perExample > AVAILABLE, "the case");
        assertEquals(String.format(java.util.Locale.ROOT, "batch is 100000: one training step needs at least %.1f GiB "
                + "(the activations it cannot do without, with prompt length 20 and training inputs of 512 tokens, 1862 "
                + "rows: a batch holds at most the 1862 training examples), and this machine has 16.0 GiB available; "
                + "allowed here: batch <= %d (gradientAccumulation keeps the effective batch)",
                1862.0 * perExample / (1L << 30), ADVISABLE / perExample), e.getMessage());
    }

    /** The ordinary runs on that data pass: the quickstart's shape, and the DSL's defaults (length 100, batch 32). */
    @Test
    void ordinaryRunsOnLongInputsPass() {
        for (PromptTuneSpec spec : new PromptTuneSpec[] {spec().length(20).batch(16).build(), spec().build()}) {
            assertDoesNotThrow(() -> StepMemory.check(spec, MINI, StepMemory.Batches.of(spec, spamLikeLengths(), 400), true,
                    new AvailableMemory(AVAILABLE, 0, null)));
        }
    }

    /**
     * A run whose steps may never draw the longest input is bounded with the shortest, so it is never refused
     * for a batch it may not meet: 2 steps of 4 rows draw 8 of 1,862 examples. One epoch (465 full batches of 4)
     * draws all but the 1,862 mod 4 = 2 left over, so it meets at least the third longest input, not surely the
     * longest.
     */
    @Test
    void aShortRunIsBoundedByItsShortestPossibleBatch() {
        PromptTuneSpec spec = spec().steps(2).batch(4).length(20).build();
        StepMemory.Batches batches = StepMemory.Batches.of(spec, spamLikeLengths(), 400);
        assertEquals(90, batches.trainInputTokens(), "the shortest input: every batch is padded to at least that");
        long tight = 4 * trainingBytesPerExample(20, 512);
        assertDoesNotThrow(() -> StepMemory.check(spec, MINI, batches, true, new AvailableMemory(tight - 1, 0, null)));
        int[] oneShort = spamLikeLengths();
        oneShort[99] = 3;
        assertEquals(3, StepMemory.Batches.of(spec().steps(464).batch(4).build(), oneShort, 400).trainInputTokens());
        assertEquals(90, StepMemory.Batches.of(spec().steps(465).batch(4).build(), spamLikeLengths(), 400).trainInputTokens());
        int[] twoLong = spamLikeLengths();
        twoLong[7] = 300;
        twoLong[8] = 400;
        assertEquals(300, StepMemory.Batches.of(spec().steps(465).batch(4).build(), twoLong, 400).trainInputTokens(),
                "the third longest: the two longest may be the epoch's leftovers");
        assertEquals(512, StepMemory.Batches.of(spec().steps(1).batch(1862).build(), twoLong, 400).trainInputTokens(),
                "a batch of the whole split holds the longest");
    }

    @Test
    void anEvaluationBatchIsCappedAtTheLargestScoredSplit() {
        PromptTuneSpec spec = spec().evalBatch(10_000_000).build();
        assertDoesNotThrow(() -> StepMemory.check(spec, MINI, StepMemory.Batches.of(spec, spamLikeLengths(), 400), true,
                new AvailableMemory(AVAILABLE, 0, null)), "400 rows of dev or test at most");
    }

    /** T5 1.1 XL's shape (google/t5-v1_1-xl: 2.85 B parameters, untied head). */
    static final T5Config XL = T5Config.parse("{\"model_type\":\"t5\",\"vocab_size\":32128,\"d_model\":2048,\"d_kv\":64,"
            + "\"d_ff\":5120,\"num_layers\":24,\"num_decoder_layers\":24,\"num_heads\":32,"
            + "\"feed_forward_proj\":\"gated-gelu\",\"tie_word_embeddings\":false}", "t5-xl shape");

    /**
     * By hand: embedding and head 2 × 32,128 × 2,048; per encoder layer 4 × 2,048² (attention) + 3 × 2,048 × 5,120
     * (gated feed-forward); per decoder layer 8 × 2,048² + the same feed-forward; 24 of each.
     */
    @Test
    void theWeightsAreCountedFromTheShape() {
        long numbers = 2L * 32128 * 2048 + 24L * (4L * 2048 * 2048 + 3L * 2048 * 5120) + 24L * (8L * 2048 * 2048 + 3L * 2048 * 5120);
        assertEquals(2_849_505_280L, numbers, "within 0.01 % of the checkpoint's 2.85 B (norms and position tables left out)");
        assertEquals(4 * numbers, StepMemory.weightBytes(XL, "fp32"));
        assertEquals(2 * numbers, StepMemory.weightBytes(XL, "fp16"));
    }

    /** A model whose weights cannot load is refused before they load, not killed while loading them. */
    @Test
    void aModelWhoseWeightsCannotFitIsRefused() {
        PromptTuneSpec spec = spec().model("t5-xl").build();
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> StepMemory.check(spec, XL,
                StepMemory.Batches.UNKNOWN, false, new AvailableMemory(8L << 30, 0, null)));
        assertEquals("model 't5-xl': its weights alone need at least 10.6 GiB (2,849,505,280 numbers in fp32), and this "
                + "machine has 8.0 GiB available; allowed here: a model whose weights fit, or precision 'fp16' (5.3 GiB)",
                e.getMessage());
        assertDoesNotThrow(() -> StepMemory.check(spec().model("t5-xl").batch(1).evalBatch(1).build(), XL,
                StepMemory.Batches.UNKNOWN, true, new AvailableMemory(8L << 30, 0, null)), "a session that holds them");
    }

    @Test
    void theBatchMustFitBesideTheWeights() {
        PromptTuneSpec spec = spec().model("t5-xl").length(100).batch(32).build();
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> StepMemory.check(spec, XL,
                StepMemory.Batches.UNKNOWN, false, new AvailableMemory(12L << 30, 0, null)));
        long left = (12L << 30) - StepMemory.weightBytes(XL, "fp32");
        assertTrue(e.getMessage().startsWith("batch is 32: one training step needs at least "), e.getMessage());
        assertTrue(e.getMessage().endsWith("and this machine has 12.0 GiB available (10.6 GiB of it for the model's "
                + "weights); allowed here: batch <= " + left / StepMemory.perExample(XL, 100, true)
                + " (gradientAccumulation keeps the effective batch)"), e.getMessage());
        assertDoesNotThrow(() -> StepMemory.check(spec, XL, StepMemory.Batches.UNKNOWN, true,
                new AvailableMemory(12L << 30, 0, null)), "weights already held: all 12 GiB for the batch");
    }

    /**
     * A local cluster runs its tasks' steps at once in this process, each fitting alone: {@code cluster 'local[64]'}
     * on a 2-core, 24 GiB machine was killed by the OOM killer. Refused when together they cannot fit, naming how many
     * tasks can; a real cluster's executors are other processes.
     */
    @Test
    void aLocalClusterCountsTheStepsItsTasksRunAtOnce() {
        long step = 32 * trainingBytesPerExample(100, 90);
        AvailableMemory memory = new AvailableMemory(10 * step + step / 2, 0, null);
        StepMemory.Batches batches = StepMemory.Batches.of(spec().build(), spamLikeLengths(), 400);
        assertDoesNotThrow(() -> StepMemory.check(spec().cluster("local[10]").build(), MINI, batches, true, memory));
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().cluster("local[64]").build(), MINI, batches, true, memory));
        assertEquals(String.format(java.util.Locale.ROOT, "cluster 'local[64]' runs 64 training steps at once in this "
                + "process (one per task, 32 rows each): together at least %.1f GiB (the activations they cannot do "
                + "without, prompt length 100), and this machine has %.1f GiB available; allowed here: at most 10 tasks "
                + "at once (local[10]), or a smaller batch", 64.0 * step / (1L << 30), memory.bytes() / (double) (1L << 30)),
                e.getMessage());
        assertEquals(10, StepMemory.localTasks(spec().cluster(dev.prompttune.core.spec.ClusterSpec.of("local[10]", 40,
                java.util.Map.of())).build()), "40 tasks a step, 10 at a time");
        assertEquals(1, StepMemory.localTasks(spec().cluster(dev.prompttune.core.spec.ClusterSpec.of("spark://head:7077",
                64, java.util.Map.of())).build()), "a real cluster's executors are elsewhere");
        assertDoesNotThrow(() -> StepMemory.check(spec().cluster(dev.prompttune.core.spec.ClusterSpec.of(
                "spark://head:7077", 64, java.util.Map.of())).build(), MINI, batches, true, memory));
    }
}
