package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.ClusterSpec;
import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the {@link ClusterBackend} on the class path, or says plainly how to get one. */
public final class ClusterBackends {

    /** How to put the Spark backend on the class path, for messages. */
    public static final String HOW = "build the spark module (mvn -q -DskipTests package -pl spark -am; bin/prompttune "
            + "then adds spark/target to its class path) or add prompttune-spark to your own";

    private ClusterBackends() {}

    /** The backend for {@code cluster}, checked ({@link ClusterBackend#check}); fails when none is on the class path. */
    public static ClusterBackend require(ClusterSpec cluster) {
        ClusterBackend backend = find();
        if (backend == null) {
            throw new PromptTuneException("cluster '" + cluster.master() + "' needs the prompttune-spark module on the "
                    + "class path, which has none; allowed: no cluster setting (single process), or " + HOW);
        }
        backend.check(cluster);
        return backend;
    }

    /** The first backend on the class path, or null. */
    public static ClusterBackend find() {
        Iterator<ClusterBackend> found = ServiceLoader.load(ClusterBackend.class, loader()).iterator();
        return found.hasNext() ? found.next() : null;
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClusterBackends.class.getClassLoader();
    }
}
