package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

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
 * one layer's attention and its logits at once. T = prompt length + 1.
 */
final class StepMemory {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private StepMemory() {}

    /** Checks the spec's training and evaluation batches against the memory available now (Linux; elsewhere no check). */
    static void check(PromptTuneSpec spec, T5Config config) {
        available().ifPresent(bytes -> check(spec, config, bytes));
    }

    static void check(PromptTuneSpec spec, T5Config config, long availableBytes) {
        require("batch", spec.batch(), spec.length(), config, true, availableBytes);
        require("evalBatch", spec.evalBatch(), spec.length(), config, false, availableBytes);
    }

    private static void require(String batchName, int batch, int length, T5Config config, boolean training, long available) {
        long perExample = perExample(config, length, training);
        if (perExample <= available / batch) { // not perExample * batch: that overflows a long for huge lengths
            return;
        }
        String what = training ? "one training step" : "one evaluation batch";
        if (perExample > available) {
            int fits = longestPrompt(config, training, available);
            throw new PromptTuneException(String.format(Locale.ROOT, "length is %d: %s needs at least %s for a single "
                    + "example at that prompt length (its attention alone), and this machine has %s available; allowed "
                    + "here: length <= %d", length, what, gib(perExample), gib(available), fits));
        }
        long fits = available / perExample;
        throw new PromptTuneException(String.format(Locale.ROOT, "%s is %d: %s needs at least %s (attention and logits "
                + "alone, with prompt length %d), and this machine has %s available; allowed here: %s <= %d%s",
                batchName, batch, what, gib(perExample * (double) batch), length, gib(available), batchName, fits,
                training ? " (gradientAccumulation keeps the effective batch)" : ""));
    }

    /** The lower bound in bytes for one example of a step, prompt length {@code length}. */
    static long perExample(T5Config c, int length, boolean training) {
        try {
            long t = length + 1L;
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
        int lo = 0;
        int hi = 1 << 24;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (perExample(c, mid, training) <= available) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** MemAvailable of /proc/meminfo in bytes: memory the kernel can give without swapping. */
    static OptionalLong available() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: no check
        }
        return OptionalLong.empty();
    }

    private static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
    }
}
