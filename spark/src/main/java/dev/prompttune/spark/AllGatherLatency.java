package dev.prompttune.spark;

import dev.prompttune.core.spec.ClusterSpec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * A one-off measurement, kept to record why training steps do not exchange gradients with barrier mode's
 * {@code allGather} (README, "Scale out on Apache Spark"). In one Spark context it times, for a prompt-gradient-sized
 * payload (p × H floats; default 20 × 512):
 * <ul>
 *   <li>{@code allGather}: a barrier stage of W tasks, each calling {@code BarrierTaskContext.allGather} with the
 *       payload as a string (its only type: Base64 of the floats) {@code rounds} times; the seconds per call;</li>
 *   <li>{@code collect}: the path each training step takes ({@link SparkGradients}): one short job of W tasks, each
 *       returning the payload as {@code float[]}, collected on the driver; the seconds per job.</li>
 * </ul>
 * One JSON line. Run: {@code java $(cat spark/src/main/resources/dev/prompttune/spark/java17-options.txt) -cp
 * "spark/target/prompttune-spark-0.1.0-SNAPSHOT.jar:spark/target/lib/*" dev.prompttune.spark.AllGatherLatency
 * [MASTER (local[2])] [FLOATS (10240)] [ROUNDS (10)]}.
 */
public final class AllGatherLatency {

    private AllGatherLatency() {}

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int floats = args.length > 1 ? Integer.parseInt(args[1]) : 20 * 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ClusterSpec cluster = ClusterSpec.of(master);
        JavaSparkContext sc = SparkContexts.get(cluster);
        try {
            int workers = cluster.workers();
            collectJob(sc, workers, floats); // warm-up: executors, classes, the first job
            allGather(sc, workers, floats, 1);
            double[] collect = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                collectJob(sc, workers, floats);
                collect[r] = (System.nanoTime() - start) / 1e9;
            }
            long start = System.nanoTime();
            double[] perCall = allGather(sc, workers, floats, rounds);
            double stage = (System.nanoTime() - start) / 1e9;
            System.out.printf(java.util.Locale.ROOT, "{\"master\": \"%s\", \"workers\": %d, \"payload_floats\": %d, \"rounds\": %d, "
                            + "\"collect_job_median_s\": %.4f, \"allgather_call_median_s\": %.4f, \"allgather_call_max_s\": %.4f, "
                            + "\"allgather_stage_s\": %.3f}%n", master, workers, floats, rounds, median(collect), median(perCall),
                    Arrays.stream(perCall).max().orElse(0), stage);
        } finally {
            SparkContexts.stop();
        }
    }

    /** One job of W tasks, each returning {@code floats} floats, collected on the driver. */
    private static void collectJob(JavaSparkContext sc, int workers, int floats) {
        sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).map(w -> payload(floats, w)).collect();
    }

    /** A barrier stage whose tasks each call allGather {@code rounds} times; every call's seconds, all tasks. */
    private static double[] allGather(JavaSparkContext sc, int workers, int floats, int rounds) {
        Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<double[]>> task =
                (Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<double[]>> & Serializable) partition -> {
                    BarrierTaskContext context = BarrierTaskContext.get();
                    float[] values = payload(floats, context.partitionId());
                    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
                    bytes.asFloatBuffer().put(values);
                    String message = Base64.getEncoder().encodeToString(bytes.array());
                    double[] seconds = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long start = System.nanoTime();
                        context.allGather(message);
                        seconds[r] = (System.nanoTime() - start) / 1e9;
                    }
                    return CollectionConverters.asScala(List.of(seconds).iterator());
                };
        Object collected = sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).rdd().barrier()
                .mapPartitions(task, false, ClassTag$.MODULE$.apply(double[].class)).collect();
        List<Double> all = new ArrayList<>();
        for (double[] seconds : (double[][]) collected) {
            Arrays.stream(seconds).forEach(all::add);
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static float[] payload(int floats, int seed) {
        float[] v = new float[floats];
        Arrays.fill(v, seed + 0.5f);
        return v;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
