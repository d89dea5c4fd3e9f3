package dev.prompttune.spark;

import java.io.Serializable;

/**
 * One scoring batch: the rows' indices in the caller's list, and per row its prompt's name, encoder ids and its
 * task's class targets.
 */
record ScoringBatch(int[] rows, String[] prompts, long[][] inputs, long[][][] classTargets) implements Serializable {}
