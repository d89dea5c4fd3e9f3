package dev.prompttune.core.run;

import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.spec.ClusterSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a cluster backend needs to score mixed-task rows: the frozen model (as in {@link ClusterTraining}) and the
 * prompts by name, as values [p × H] row-major.
 */
public record ClusterScoring(ClusterSpec cluster, String name, Path model, String precision, String device,
                             String fingerprint, Placement placement, Map<String, float[]> prompts, int width) {}
