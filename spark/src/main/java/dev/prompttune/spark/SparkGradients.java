package dev.prompttune.spark;

import ai.djl.ndarray.NDArray;
import dev.prompttune.core.run.ClusterTraining;
import dev.prompttune.core.train.GradientsUnavailable;
import dev.prompttune.core.train.StepGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A training run's steps on Spark, one short job per step (as MLlib's mini-batch SGD): the prompt is broadcast,
 * each of the W tasks computes {@code gradientAccumulation} consecutive micro-batches ({@link GradientTask}), the
 * driver collects them in partition order and adds them in micro-batch order ({@link StepGradients#sumInOrder}); the
 * trainer then clips and updates on the driver. A failed task is retried by Spark and gives the same numbers; a step
 * whose task fails every attempt stops the run ({@link GradientsUnavailable}), and the context stays usable. Every
 * job of the run is in one job group, cancelled when the driver thread is interrupted.
 *
 * <p>Not barrier mode: its allGather polls in 1-second sleeps, sends every gradient to every worker, and one failed
 * task aborts the whole stage.
 */
final class SparkGradients implements StepGradients {

    private final JavaSparkContext sc;
    private final ClusterTraining run;
    private final Broadcast<TrainingJob> job;
    private final String group;

    SparkGradients(JavaSparkContext sc, ClusterTraining run) {
        this.sc = sc;
        this.run = run;
        this.job = sc.broadcast(TrainingJob.of(run));
        this.group = "prompttune-" + run.name() + "-" + UUID.randomUUID();
    }

    @Override
    public int workers() {
        return run.cluster().workers();
    }

    @Override
    public Step compute(int step, List<int[]> microBatches) {
        int perWorker = run.gradientAccumulation();
        List<StepWork> work = new ArrayList<>();
        for (int w = 0; w < workers(); w++) {
            work.add(new StepWork(step, w * perWorker, microBatches.size(),
                    microBatches.subList(w * perWorker, (w + 1) * perWorker).toArray(int[][]::new)));
        }
        Broadcast<float[][]> state = sc.broadcast(run.trainable().snapshot());
        List<MicroGradient> results;
        try {
            sc.setJobGroup(group, "prompttune " + run.name() + " step " + (step + 1), true);
            results = sc.parallelize(work, workers()).mapPartitions(new GradientTask(job, state)).collect();
        } catch (Exception e) {
            if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                sc.cancelJobGroup(group);
                Thread.interrupted(); // the trainer reports the interrupt (INTERRUPTED), as at a step boundary
                throw new GradientsUnavailable("interrupted", true, e);
            }
            throw new GradientsUnavailable("the Spark job failed: " + firstLine(e), false, e);
        } finally {
            sc.clearJobGroup();
            state.destroy();
        }
        return sum(results, microBatches.size());
    }

    /** The step's loss and gradients from the micro-batches' results (which come in micro-batch order). */
    private Step sum(List<MicroGradient> results, int count) {
        if (results.size() != count) {
            throw new IllegalStateException("step returned " + results.size() + " micro-batches, expected " + count);
        }
        double[] losses = new double[count];
        double[] taskSeconds = new double[workers()];
        for (int k = 0; k < count; k++) {
            MicroGradient r = results.get(k);
            if (r.micro() != k) {
                throw new IllegalStateException("micro-batch " + r.micro() + " came back at position " + k);
            }
            losses[k] = r.loss();
            taskSeconds[k / run.gradientAccumulation()] += r.seconds();
        }
        double computeSeconds = java.util.Arrays.stream(taskSeconds).max().orElse(0);
        double loss = StepGradients.meanLoss(losses);
        if (!Double.isFinite(loss)) {
            return new Step(loss, null, computeSeconds);
        }
        List<NDArray> params = run.trainable().parameters();
        List<NDArray> grads = new ArrayList<>();
        for (int p = 0; p < params.size(); p++) {
            List<float[]> perMicro = new ArrayList<>();
            for (MicroGradient r : results) {
                perMicro.add(r.gradient()[p]);
            }
            NDArray param = params.get(p);
            grads.add(param.getManager().create(StepGradients.sumInOrder(perMicro), param.getShape()));
        }
        return new Step(loss, grads, computeSeconds);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        job.destroy();
    }
}
