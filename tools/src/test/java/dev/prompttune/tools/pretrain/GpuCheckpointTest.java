package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.verify.Comparison;
import dev.prompttune.core.verify.T5Verifier;
import dev.prompttune.core.verify.VerificationReport;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU build (tools/gpu/pretrain_t5.py) writes its model with its own PyTorch T5 (tools/gpu/t5_model.py), not
 * transformers'. The fixture under src/test/resources/gpu-t5-tiny was written by tools/gpu/make_fixture.py: a tiny
 * model saved as pretrain_t5.py saves it (BF16, tied head, every weight random) and what t5_model.py computes on
 * the saved weights. The Java core must compute the same, so a GPU-built checkpoint is a Hugging Face checkpoint
 * to it, tied head, padding mask and position buckets included.
 */
class GpuCheckpointTest {

    @Test
    void theJavaCoreComputesWhatThePythonBuildComputes() throws URISyntaxException {
        Path dir = Path.of(GpuCheckpointTest.class.getResource("/gpu-t5-tiny/config.json").toURI()).getParent();
        VerificationReport report = T5Verifier.verify(dir);
        for (String name : List.of("encoder_last_hidden_state", "decoder_last_hidden_state", "logits", "loss")) {
            Comparison c = report.tensors().get(name);
            assertNotNull(c, name + " was not compared");
            assertTrue(c.maxAbsError() < 1e-4, name + " max abs error " + c.maxAbsError());
        }
        for (String name : List.of("rel_buckets_bidirectional", "rel_buckets_causal", "decoder_input_ids")) {
            assertEquals(Boolean.TRUE, report.exact().get(name), name);
        }
        assertTrue(report.passed(), report.toJson().toString());
    }

    /**
     * The GPU build's optimizer (tools/gpu/adafactor_t5.py) is the Java build's {@code adafactor-t5} under the same
     * warm-up-then-linear-decay schedule: five updates, replayed here from the gradients it was fed, land on the
     * weights it reached, for a factored [136, 128], an unfactored [6, 40] and a 1-D tensor.
     */
    @Test
    void theGpuBuildsAdafactorIsTheJavaBuilds() throws URISyntaxException {
        Path file = Path.of(GpuCheckpointTest.class.getResource("/gpu-t5-tiny/adafactor.safetensors").toURI());
        int steps = 5;
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile ref = SafetensorsFile.open(file);
             Optimizer adafactor = PretrainOptimizer.ADAFACTOR_T5.build(1e-2f,
                     LearningRateSchedule.warmupLinearDecay(2, 10), m)) {
            List<NDArray> params = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                params.add(ref.load("p0_" + k, m, DataType.FLOAT32));
            }
            for (int t = 0; t < steps; t++) {
                List<NDArray> grads = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    grads.add(ref.load("g" + t + "_" + k, m, DataType.FLOAT32));
                }
                adafactor.step(params, grads);
            }
            for (int k = 0; k < 3; k++) {
                float[] expected = ref.readFloats("p" + steps + "_" + k);
                float[] start = ref.readFloats("p0_" + k);
                float[] actual = params.get(k).toFloatArray();
                double moved = 0;
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    moved = Math.max(moved, Math.abs(expected[i] - start[i]));
                    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(moved > 1e-4, "tensor " + k + " moved by " + moved + ": the replay would prove nothing");
                assertTrue(worst < 1e-6 + 1e-3 * moved, "tensor " + k + ": max abs difference " + worst
                        + " after " + steps + " updates that moved it by up to " + moved);
            }
        }
    }
}
