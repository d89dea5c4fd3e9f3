package dev.prompttune.core.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.verify.Comparison;
import dev.prompttune.core.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-peft on the adapters PEFT wrote: every stored output and the training replay within 1e-4. */
class PeftVerifierTest {

    @TempDir
    Path tmp;

    @Test
    void nts1AdapterMatchesPeft() {
        check("peft-prompt-nts1");
    }

    @Test
    void nts2AdapterMatchesPeft() {
        check("peft-prompt-nts2");
    }

    private static void check(String name) {
        VerificationReport report = PeftVerifier.verify(Fixtures.dir("tiny-t5-v1_1/" + name), null);
        System.out.println(name + ": " + report.toJson());
        assertTrue(report.passed(), report.toJson().toString());
        for (String key : new String[] {"loss", "logits", "prompt_final", "train_losses[4]", "prompt_trajectory[4]"}) {
            Comparison c = report.tensors().get(key);
            assertTrue(c != null && c.maxAbsError() <= 1e-4, key + " in " + report.toJson());
        }
        assertEquals(0.0, report.tensors().get("prompt_final").maxAbsError());
        assertEquals(Boolean.TRUE, report.exact().get("generate_ids"));
        JsonObject json = report.toJson();
        assertTrue(json.get("ok").getAsBoolean());
    }

    @Test
    void explicitBaseIsUsedAndABadOneIsNamed() {
        Path adapter = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts1");
        assertTrue(PeftVerifier.verify(adapter, Fixtures.dir("tiny-t5-v1_1")).passed());
        String m = assertThrows(PromptTuneException.class, () -> PeftVerifier.verify(adapter, tmp)).getMessage();
        assertTrue(m.contains("--base") && m.contains(tmp.toString()), m);
    }

    @Test
    void baseIsFoundThroughBaseModelNameBesideTheAdapter() throws IOException {
        // tmp/tiny-t5-v1_1 (a link to the model) and tmp/adapter with base_model_name_or_path "tiny-t5-v1_1"
        Files.createSymbolicLink(tmp.resolve("tiny-t5-v1_1"), Fixtures.dir("tiny-t5-v1_1"));
        Path adapter = Files.createDirectories(tmp.resolve("adapter"));
        Path src = Fixtures.dir("tiny-t5-v1_1/peft-prompt-nts1");
        for (String f : new String[] {PeftAdapter.CONFIG, PeftAdapter.WEIGHTS, "expected.json", "expected.safetensors"}) {
            Files.copy(src.resolve(f), adapter.resolve(f));
        }
        assertTrue(PeftVerifier.verify(adapter, null).passed());
        Files.delete(tmp.resolve("tiny-t5-v1_1"));
        String m = assertThrows(PromptTuneException.class, () -> PeftVerifier.verify(adapter, null)).getMessage();
        assertTrue(m.contains("base model not found") && m.contains("tiny-t5-v1_1"), m);
    }

    @Test
    void anAdapterWithoutReferenceOutputsHasNothingToVerify() {
        Path out = tmp.resolve("exported");
        PeftAdapter.exportTo(out, new float[5 * 32], 5, 32, "tiny-t5-v1_1", 4, 2);
        String m = assertThrows(PromptTuneException.class, () -> PeftVerifier.verify(out, null)).getMessage();
        assertTrue(m.contains("expected.safetensors"), m);
    }

    @Test
    void learningRateIsReadFromTheOptimizerText() {
        JsonObject info = new JsonObject();
        assertEquals(PeftVerifier.DEFAULT_LR, PeftVerifier.learningRate(info));
        info.addProperty("optimizer", "transformers Adafactor(lr=1e-2, scale_parameter=False)");
        assertEquals(1e-2f, PeftVerifier.learningRate(info));
    }
}
