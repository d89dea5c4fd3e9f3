package dev.prompttune.core.spec;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec's {@code cluster} setting: train data-parallel on a cluster (Apache Spark, through the backend that
 * {@link dev.prompttune.core.run.ClusterBackends} finds) instead of in this process. Unset (null) means single
 * process.
 *
 * <p>A step of a run on W workers takes {@code gradientAccumulation} micro-batches of {@code batch} examples on each
 * worker, W × gradientAccumulation in all, summed in micro-batch order on the driver: it equals the single-process
 * run with {@code gradientAccumulation} × W, bit for bit. A micro-batch is never split between workers (its loss is a
 * mean over its own label tokens, so a split would not sum to the same number).
 *
 * <pre>
 * cluster 'local[2]'                                              // workers = the N of local[N]
 * cluster { master 'spark://head:7077'; workers 8; conf 'spark.executor.memory', '16g' }
 * </pre>
 *
 * @param master the Spark master URL: {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]} (F: task
 *               attempts before a step fails) or {@code spark://host:port}; {@code yarn} and {@code k8s://https://host:port}
 *               only where Spark's YARN or Kubernetes module is on the class path ({@link #allowedMasters()})
 * @param workers tasks per step (each computes {@code gradientAccumulation} micro-batches); for {@code local[N]} N
 *                unless given
 * @param conf extra Spark settings ({@code spark.*} keys), in the order given
 */
public record ClusterSpec(String master, int workers, Map<String, String> conf) {

    /**
     * The master URLs every build allows, for messages. Spark's YARN and Kubernetes masters need modules of their own
     * (spark-yarn, spark-kubernetes), which this project's spark module does not include: {@link #allowedMasters()}.
     */
    public static final String ALLOWED_MASTERS = "local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), spark://host:port";

    /** Spark's cluster manager for {@code yarn} (the spark-yarn module), found on the class path or not. */
    static final String YARN_MANAGER = "org.apache.spark.deploy.yarn.YarnClusterManager";

    /** Spark's cluster manager for {@code k8s://…} (the spark-kubernetes module). */
    static final String KUBERNETES_MANAGER = "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager";

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]*)(?:,\\s*([1-9][0-9]*))?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*");
    private static final Pattern KUBERNETES = Pattern.compile("k8s://(https?://)?[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    public ClusterSpec {
        checkMaster(master);
        if (workers < 1) {
            throw new PromptTuneException("cluster workers is " + workers + "; allowed: workers >= 1 (tasks per step)");
        }
        conf = conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        conf.forEach(ClusterSpec::checkConf);
    }

    /** {@code cluster 'local[2]'}: the master alone; workers from {@code local[N]}. */
    public static ClusterSpec of(String master) {
        return of(master, null, Map.of());
    }

    /**
     * A cluster from its block's settings.
     *
     * @param workers null: from {@code local[N]} (N), required for every other master
     */
    public static ClusterSpec of(String master, Integer workers, Map<String, String> conf) {
        checkMaster(master);
        if (workers == null) {
            Integer local = localCores(master);
            if (local == null) {
                throw new PromptTuneException("cluster workers is missing for master '" + master + "'; allowed: workers N "
                        + "(tasks per step) in cluster { master '" + master + "'; workers N }; only local[N] implies it");
            }
            workers = local;
        }
        return new ClusterSpec(master, workers, conf);
    }

    /** N of {@code local[N]} ({@code local}: 1, {@code local[*]}: this machine's processors), null for a real cluster. */
    public static Integer localCores(String master) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            return null;
        }
        String n = m.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /** Whether the master runs everything in this JVM (local mode). */
    public boolean local() {
        return localCores(master) != null;
    }

    /** The value as spec.json writes it: {@code {"master": …, "workers": N, "conf": {…}}}. */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("master", master);
        d.put("workers", workers);
        d.put("conf", conf);
        return d;
    }

    /** Back from {@link #describe()}'s JSON. */
    public static ClusterSpec fromJson(JsonObject o) {
        if (o.get("master") == null || o.get("workers") == null) {
            throw new PromptTuneException("cluster " + o + " lacks master or workers; allowed: {\"master\": URL, \"workers\": N, \"conf\": {…}}");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        if (o.has("conf") && o.get("conf").isJsonObject()) {
            o.getAsJsonObject("conf").entrySet().forEach(e -> conf.put(e.getKey(), e.getValue().getAsString()));
        }
        return new ClusterSpec(o.get("master").getAsString(), o.get("workers").getAsInt(), conf);
    }

    /**
     * The master URLs this class path can run, for messages: {@link #ALLOWED_MASTERS}, and {@code yarn} or
     * {@code k8s://https://host:port} where Spark's module for it is on the class path (an application that adds it).
     */
    public static String allowedMasters() {
        return ALLOWED_MASTERS + (onClassPath(YARN_MANAGER) ? ", yarn" : "")
                + (onClassPath(KUBERNETES_MANAGER) ? ", k8s://https://host:port" : "");
    }

    /**
     * Fails unless {@code master} is a master URL of {@link #allowedMasters()}. {@code yarn} and {@code k8s://…} are
     * Spark masters, but without Spark's module for them Spark refuses them only when it starts (after the runs
     * before have trained): refused here, where {@code run --check} sees them.
     */
    public static void checkMaster(String master) {
        if (master == null || master.isBlank()) {
            throw new PromptTuneException("cluster master is empty; allowed: " + allowedMasters());
        }
        boolean yarn = master.equals("yarn");
        boolean kubernetes = KUBERNETES.matcher(master).matches();
        if (!(LOCAL.matcher(master).matches() || STANDALONE.matcher(master).matches() || yarn || kubernetes)) {
            throw new PromptTuneException("cluster master '" + master + "' is not a Spark master URL; allowed: " + allowedMasters());
        }
        if (yarn && !onClassPath(YARN_MANAGER) || kubernetes && !onClassPath(KUBERNETES_MANAGER)) {
            throw new PromptTuneException("cluster master '" + master + "' needs Spark's " + (yarn ? "YARN" : "Kubernetes")
                    + " module (spark-" + (yarn ? "yarn" : "kubernetes") + "_2.13), which this build does not include; "
                    + "allowed: " + allowedMasters());
        }
    }

    private static boolean onClassPath(String className) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName(className, false, context != null ? context : ClusterSpec.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Fails unless {@code key} is a {@code spark.*} setting and {@code value} is given, and, for the settings Spark
     * reads as a size, number, flag or duration, is one ({@link SparkConfValues}).
     */
    public static void checkConf(String key, String value) {
        if (key == null || !key.startsWith("spark.") || key.length() == "spark.".length()) {
            throw new PromptTuneException("cluster conf key '" + key + "' is not a Spark setting; allowed: keys starting with 'spark.'");
        }
        if (value == null) {
            throw new PromptTuneException("cluster conf '" + key + "' has no value; allowed: a text value");
        }
        if (key.equals("spark.master")) {
            // Two masters, one silently ignored: the spec's master is the one the run records and resumes with.
            throw new PromptTuneException("cluster conf 'spark.master' would set the master a second way; allowed: "
                    + "master '" + value + "' (cluster { master '" + value + "' } or cluster '" + value + "')");
        }
        SparkConfValues.check(key, value);
    }
}
