package dev.prompttune.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.model.Casts;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.ResidualReparam;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.train.MicroBatch;
import dev.prompttune.core.train.Trainable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * A task of a training step, on an executor: for each of its micro-batches, {@link MicroBatch#backward} over the
 * executor's cached model with a fresh copy of the broadcast prompt (so each micro-batch's gradient is its own, as
 * the driver's sum in micro-batch order needs), its masks seeded from (seed, step, micro-batch). Deterministic: a
 * retried task returns the same numbers.
 */
final class GradientTask implements FlatMapFunction<Iterator<StepWork>, MicroGradient> {

    private final Broadcast<TrainingJob> job;
    private final Broadcast<float[][]> state;

    GradientTask(Broadcast<TrainingJob> job, Broadcast<float[][]> state) {
        this.job = job;
        this.state = state;
    }

    @Override
    public Iterator<MicroGradient> call(Iterator<StepWork> works) throws Exception {
        TrainingJob j = job.value();
        float[][] values = state.value();
        T5Model model = ExecutorModels.get(j.model(), j.precision(), j.device(), j.fingerprint());
        List<MicroGradient> out = new ArrayList<>();
        while (works.hasNext()) {
            StepWork work = works.next();
            FaultInjection.maybeFail(work.step());
            for (int i = 0; i < work.batches().length; i++) {
                int micro = work.first() + i;
                out.add(micro(j, model, values, work, micro, work.batches()[i]));
            }
        }
        return out.iterator();
    }

    private static MicroGradient micro(TrainingJob j, T5Model model, float[][] values, StepWork work, int micro, int[] rows) {
        long start = System.nanoTime();
        long[][] inputs = new long[rows.length][];
        long[][] targets = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            inputs[r] = j.inputs()[rows[r]];
            targets[r] = j.targets()[rows[r]];
        }
        try (NDManager m = NDManager.newBaseManager(model.device());
             SoftPrompt prompt = SoftPrompt.of(values[0], j.length(), j.width(), m);
             ResidualReparam reparam = j.reparamBottleneck() == 0 ? null
                     : ResidualReparam.of(Arrays.copyOfRange(values, 1, values.length), j.width(), j.reparamBottleneck(), m)) {
            Placement placement = Placement.parse(j.placement());
            Trainable trainable = reparam == null ? Trainable.prompt(prompt, placement)
                    : Trainable.residualPrompt(prompt, reparam, placement);
            trainable.parameters().forEach(p -> p.setRequiresGradient(true));
            double loss = MicroBatch.backward(model, trainable.input(), inputs, targets, j.classesOf(rows), work.count(), j.dropout(),
                    MicroBatch.maskSeed(j.seed(), work.step(), micro), m);
            if (!Double.isFinite(loss)) {
                return new MicroGradient(micro, loss, null, (System.nanoTime() - start) / 1e9);
            }
            List<NDArray> params = trainable.parameters();
            float[][] gradient = new float[params.size()][];
            for (int p = 0; p < gradient.length; p++) {
                try (NDArray g = params.get(p).getGradient()) {
                    gradient[p] = Casts.floats(g);
                }
            }
            return new MicroGradient(micro, loss, gradient, (System.nanoTime() - start) / 1e9);
        }
    }
}
