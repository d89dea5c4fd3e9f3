package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.ClusterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cluster { … }} block: where a run trains data-parallel ({@link ClusterSpec}). Each keyword checks its
 * value at once (the type checker runs them on literal values before the script starts).
 *
 * <pre>
 * cluster 'local[2]'                                   // the master alone: workers = N of local[N]
 * cluster { master 'spark://head:7077'; workers 8; conf 'spark.executor.memory', '16g' }
 * </pre>
 */
public final class ClusterBlock {

    /** The block's keywords. */
    public static final List<String> KEYWORDS = List.of("master", "workers", "conf");

    // Not named as the keywords: inside the block, a field of the keyword's name is what `workers -2` (Groovy's
    // `workers - 2`) or a bare `master` would read, instead of being reported as a keyword without its value.
    private String masterUrl;
    private Integer workerCount;
    private final Map<String, String> settings = new LinkedHashMap<>();
    /** Where each conf setting was made (its stack names the script line), for a start error that names it. */
    private final Map<String, Throwable> confCalls = new LinkedHashMap<>();

    /**
     * The Spark master URL: {@code local[N]}, {@code local[N,F]}, {@code spark://host:port} ({@code yarn} and
     * {@code k8s://…} only with Spark's module for them: {@link ClusterSpec#allowedMasters()}).
     */
    public ClusterBlock master(String v) {
        ClusterSpec.checkMaster(v);
        masterUrl = v;
        return this;
    }

    /** Tasks per step, {@code >= 1}; each computes {@code gradientAccumulation} micro-batches (default: N of local[N]). */
    public ClusterBlock workers(int v) {
        if (v < 1) {
            throw new PromptTuneException("cluster workers is " + v + "; allowed: workers >= 1 (tasks per step)");
        }
        workerCount = v;
        return this;
    }

    /** A Spark setting: {@code conf 'spark.executor.memory', '16g'}. */
    public ClusterBlock conf(String key, String value) {
        ClusterSpec.checkConf(key, value);
        settings.put(key, value);
        confCalls.put(key, new Throwable("the conf setting's call"));
        return this;
    }

    /** The cluster this block describes; fails when it names no master. */
    ClusterSpec build() {
        if (masterUrl == null) {
            throw new PromptTuneException("cluster { } names no master; allowed: master URL, one of " + ClusterSpec.allowedMasters());
        }
        return ClusterSpec.of(masterUrl, workerCount, settings);
    }

    /** The call of the conf setting whose key {@code message} names, or null. */
    Throwable confCallNamedIn(String message) {
        return confCalls.entrySet().stream().filter(c -> message.contains(c.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
