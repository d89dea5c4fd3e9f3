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

    static PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().train(Path.of("train.jsonl")).steps(300);
    }

    /** By hand: 4 bytes × (4 encoder layers × 4 heads × T² + 4 decoder layers × 4 heads × (1 + T) + 8,000 logits). */
    static long trainingBytesPerExample(long promptLength) {
        long t = promptLength + 1;
        return 4 * (4 * 4 * t * t + 4 * 4 * (1 + t) + 8000);
    }

    @Test
    void theBoundIsTheAttentionAndLogitsAStepCannotDoWithout() {
        assertEquals(trainingBytesPerExample(20), StepMemory.perExample(MINI, 20, true));
        assertEquals(4 * (4 * 101L * 101 + 8000), StepMemory.perExample(MINI, 100, false), "evaluation: one layer at a time");
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
        long fits = AVAILABLE / trainingBytesPerExample(20);
        assertTrue(e.getMessage().startsWith("batch is 1000000: one training step needs at least "), e.getMessage());
        assertTrue(e.getMessage().endsWith("this machine has 16.0 GiB available; allowed here: batch <= " + fits
                + " (gradientAccumulation keeps the effective batch)"), e.getMessage());
    }

    @Test
    void aPromptTooLongForEvenOneExampleNamesTheLongestThatFits() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> StepMemory.check(spec().length(100_000).batch(1).build(), MINI, AVAILABLE));
        int longest = StepMemory.longestPrompt(MINI, true, AVAILABLE);
        assertTrue(trainingBytesPerExample(longest) <= AVAILABLE && trainingBytesPerExample(longest + 1) > AVAILABLE);
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
}
