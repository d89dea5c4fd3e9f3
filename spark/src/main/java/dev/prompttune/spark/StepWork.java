package dev.prompttune.spark;

import java.io.Serializable;

/**
 * One task's share of a step: consecutive micro-batches of the step, starting at {@code first}.
 *
 * @param step the step (0-based)
 * @param first the index in the step of the first micro-batch here
 * @param count the step's micro-batches in all (each loss is divided by it)
 * @param batches per micro-batch, row indices into the training split
 */
record StepWork(int step, int first, int count, int[][] batches) implements Serializable {}
