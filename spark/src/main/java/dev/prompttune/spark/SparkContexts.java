package dev.prompttune.spark;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.ClusterSpec;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one Spark context of this JVM (Spark allows one), made for a {@link ClusterSpec} and reused by every run that
 * names the same master and settings. A run naming other ones replaces a context this class made (between runs); a
 * context the user made stays, and a run that needs another is refused. Local masters stay on the loopback
 * interface, without the web UI, unless the spec's own settings say otherwise.
 */
final class SparkContexts {

    /** Set on the contexts this class makes, to tell them from one the user made. */
    private static final String MARK = "spark.prompttune.context";

    private static SparkContext ours;
    private static ClusterSpec oursFor;

    private SparkContexts() {}

    static synchronized JavaSparkContext get(ClusterSpec cluster) {
        if (ours != null && !ours.isStopped()) {
            if (cluster.equals(oursFor)) {
                return JavaSparkContext.fromSparkContext(ours);
            }
            ours.stop(); // made for other settings; no run is using it (runs take it at their start)
        }
        ours = null;
        oursFor = null;
        String mark = UUID.randomUUID().toString();
        MasterReachability.require(cluster.master());
        SparkContext context;
        try {
            context = SparkContext.getOrCreate(conf(cluster).set(MARK, mark));
        } catch (Exception | LinkageError e) { // Scala throws SparkException, a checked exception, undeclared
            // A conf value Spark cannot read ('lots' of executor memory), a master kind this build lacks (yarn):
            // Spark's own words, on one line, before the run starts.
            throw new PromptTuneException("cluster '" + cluster.master() + "': Spark could not start: " + rootMessage(e)
                    + "; allowed: a master and conf settings Spark accepts", e);
        }
        if (!mark.equals(context.getConf().get(MARK, ""))) {
            // The user's own context was active (getOrCreate returned it): use it only when it has the master asked for.
            if (!context.master().equals(cluster.master())) {
                throw new PromptTuneException("cluster '" + cluster.master() + "': this JVM already runs a Spark context "
                        + "with master '" + context.master() + "' that prompttune did not start; allowed: master '"
                        + context.master() + "' (Spark allows one context per JVM), or stop that context first");
            }
            return JavaSparkContext.fromSparkContext(context);
        }
        ours = context;
        oursFor = cluster;
        return JavaSparkContext.fromSparkContext(context);
    }

    /**
     * The cluster that {@link #get} answers with {@code context}: the one this class made it for, else (the user's
     * context) its master with its default parallelism as workers.
     */
    static synchronized ClusterSpec specOf(SparkContext context) {
        if (context == ours && oursFor != null) {
            return oursFor;
        }
        return new ClusterSpec(context.master(), context.defaultParallelism(), java.util.Map.of());
    }

    static SparkConf conf(ClusterSpec cluster) {
        SparkConf conf = new SparkConf().setMaster(cluster.master()).setAppName("prompttune");
        if (cluster.local()) {
            conf.set("spark.driver.host", "127.0.0.1");
            conf.set("spark.driver.bindAddress", "127.0.0.1");
            conf.set("spark.ui.enabled", "false");
        }
        cluster.conf().forEach(conf::set);
        return conf;
    }

    /** The innermost cause's message, on one line. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Stops the context this class made, if any (tests; a JVM's end stops it anyway). */
    static synchronized void stop() {
        if (ours != null) {
            ours.stop();
            ours = null;
            oursFor = null;
        }
    }
}
