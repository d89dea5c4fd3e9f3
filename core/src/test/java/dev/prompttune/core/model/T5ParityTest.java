package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.verify.Comparison;
import dev.prompttune.core.verify.T5Verifier;
import dev.prompttune.core.verify.VerificationReport;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The foundation of trust: the Java T5 against outputs Hugging Face transformers computed on the same weights
 * (T5 1.0: ReLU, tied and scaled head; T5 1.1: gated-GELU, untied head). Every reference tensor must be present
 * and within tolerance; generations and bucket tables must be equal.
 */
class T5ParityTest {

    private static final List<String> TENSORS = List.of(
            "encoder_last_hidden_state", "decoder_last_hidden_state", "logits", "loss",
            "prompt_encoder_last_hidden_state", "prompt_logits", "prompt_loss",
            "prompt_grad");
    private static final List<String> EXACT = List.of(
            "rel_buckets_bidirectional", "rel_buckets_causal", "decoder_input_ids", "generate_ids",
            "prompt_attention_mask", "prompt_generate_ids");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-t5-v1_0", "tiny-t5-v1_1"})
    void matchesHuggingFace(String checkpoint) {
        VerificationReport report = T5Verifier.verify(Fixtures.dir(checkpoint));
        for (String name : TENSORS) {
            Comparison c = report.tensors().get(name);
            assertTrue(c != null, checkpoint + ": " + name + " was not compared");
            assertTrue(c.passed(), checkpoint + ": " + name + " max abs error " + c.maxAbsError());
            assertTrue(c.maxAbsError() < 1e-4, checkpoint + ": " + name + " max abs error " + c.maxAbsError());
        }
        for (String name : EXACT) {
            assertEquals(Boolean.TRUE, report.exact().get(name), checkpoint + ": " + name);
        }
        assertTrue(report.passed(), report.toJson().toString());
    }
}
