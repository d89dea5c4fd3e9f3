package dev.prompttune.tools.pretrain;

/**
 * One text-to-text pretraining example: encoder input ids and decoder target ids, both ending with eos.
 * The arrays are the example's own.
 *
 * @param input encoder input ids (eos last)
 * @param target decoder target ids (eos last)
 */
public record Example(long[] input, long[] target) {}
