package dev.prompttune.spark;

import dev.prompttune.core.run.ClusterScoring;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every scoring task needs, broadcast once per call: the frozen model's location and the prompts by name. */
record ScoringJob(String model, String precision, String device, String fingerprint, String placement, int width,
                  LinkedHashMap<String, float[]> prompts) implements Serializable {

    static ScoringJob of(ClusterScoring s) {
        return new ScoringJob(s.model().toAbsolutePath().normalize().toString(), s.precision(), s.device(), s.fingerprint(),
                s.placement().key(), s.width(), new LinkedHashMap<>(s.prompts()));
    }

    Map<String, float[]> promptValues() {
        return prompts;
    }
}
