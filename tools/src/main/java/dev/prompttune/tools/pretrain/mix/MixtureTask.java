package dev.prompttune.tools.pretrain.mix;

import java.util.List;

/**
 * One self-supervised classification task of the promptability mixture, as the model card lists it.
 *
 * @param name short name ({@code groups-5a}, {@code word-present}, ...)
 * @param what what the answer says about the passage
 * @param labels the task's answer words in option order (empty when every example brings its own options)
 * @param weight share of the mixture's examples
 */
public record MixtureTask(String name, String what, List<String> labels, double weight) {}
