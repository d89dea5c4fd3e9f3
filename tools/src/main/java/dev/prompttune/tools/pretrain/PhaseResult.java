package dev.prompttune.tools.pretrain;

import java.util.List;

/** What one phase did. */
public record PhaseResult(Objective objective, String name, int steps, float lr, int warmup, double seconds,
                          double secondsPerStep,
                          double firstLoss, double lastLoss, List<double[]> windows, List<double[]> valLosses,
                          int trainExamples, int devExamples, int inputLength, int targetLength, long parameters,
                          List<String[]> samples) {}
