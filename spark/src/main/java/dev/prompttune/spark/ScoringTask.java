package dev.prompttune.spark;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.ensemble.PromptBank;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * A scoring partition on an executor: the executor's cached model, one {@link PromptBank} of the broadcast prompts
 * for the partition, and each of its batches (mixed tasks) scored in one pass, as a single process scores them.
 */
final class ScoringTask implements FlatMapFunction<Iterator<ScoringBatch>, ScoredRow> {

    private final Broadcast<ScoringJob> job;

    ScoringTask(Broadcast<ScoringJob> job) {
        this.job = job;
    }

    @Override
    public Iterator<ScoredRow> call(Iterator<ScoringBatch> batches) {
        ScoringJob j = job.value();
        T5Model model = ExecutorModels.get(j.model(), j.precision(), j.device(), j.fingerprint());
        List<ScoredRow> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            PromptBank bank = new PromptBank(model, Placement.parse(j.placement()));
            for (Map.Entry<String, float[]> p : j.promptValues().entrySet()) {
                bank.put(p.getKey(), SoftPrompt.of(p.getValue(), p.getValue().length / j.width(), j.width(), m));
            }
            while (batches.hasNext()) {
                ScoringBatch batch = batches.next();
                List<PromptBank.Row> rows = new ArrayList<>();
                for (int i = 0; i < batch.rows().length; i++) {
                    rows.add(new PromptBank.Row(batch.prompts()[i], batch.inputs()[i], batch.classTargets()[i]));
                }
                float[][] scores = bank.score(rows);
                for (int i = 0; i < scores.length; i++) {
                    out.add(new ScoredRow(batch.rows()[i], scores[i]));
                }
            }
        }
        return out.iterator();
    }
}
