package dev.prompttune.spark;

import java.io.Serializable;

/**
 * One micro-batch's result: its index in the step, its mean loss and its gradient per trainable array (flat,
 * row-major, in the trainable's parameter order; none when the loss is not finite), and the seconds it took.
 */
record MicroGradient(int micro, double loss, float[][] gradient, double seconds) implements Serializable {}
