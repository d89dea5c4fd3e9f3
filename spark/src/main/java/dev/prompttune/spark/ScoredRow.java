package dev.prompttune.spark;

import java.io.Serializable;

/** A row's class scores, by its index in the caller's list. */
record ScoredRow(int row, float[] scores) implements Serializable {}
