package dev.prompttune.core.promptfile;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one prompt check: width, finite values, fingerprint (overridable only by anyModel); one-line errors. */
class PromptCheckTest {

    private static final String OURS = EmbeddingFingerprint.of(new float[] {1, 2, 3});
    private static final String THEIRS = EmbeddingFingerprint.of(new float[] {4, 5, 6});

    private static final PromptCheck.Target MODEL = new PromptCheck.Target("tiny-b", 2, () -> OURS);

    private static PromptMetadata trainedOn(String model, String fingerprint) {
        return PromptMetadata.builder().baseModel(model).embeddingFingerprint(fingerprint).build();
    }

    private static String error(float[] values, int width, PromptMetadata meta, boolean anyModel) {
        String m = assertThrows(PromptTuneException.class,
                () -> PromptCheck.check("p.safetensors", values, values.length / width, width, meta, MODEL, anyModel)).getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("p.safetensors: "), m);
        return m;
    }

    @Test
    void aPromptOfAnotherWidthNamesBothWidths() {
        String m = error(new float[] {1, 2, 3}, 3, null, true);
        assertTrue(m.contains("[1, 3]") && m.contains("model tiny-b has width (d_model) 2") && m.contains("allowed: a prompt of width 2"), m);
    }

    @Test
    void nonFiniteValuesAreRefusedEvenWithAnyModel() {
        String nan = error(new float[] {1, 2, 3, Float.NaN}, 2, null, true);
        assertTrue(nan.contains("1 of 4 prompt values are not finite") && nan.contains("NaN, at row 1, column 1")
                && nan.contains("allowed: finite numbers only"), nan);
        String inf = error(new float[] {Float.POSITIVE_INFINITY, 2, Float.NEGATIVE_INFINITY, 0}, 2, null, true);
        assertTrue(inf.contains("2 of 4") && inf.contains("Infinity, at row 0, column 0"), inf);
    }

    @Test
    void anotherModelsFingerprintNamesBothModelsAndTheOverride() {
        float[] ok = {1, 2, 3, 4};
        String m = error(ok, 2, trainedOn("models/tiny-a", THEIRS), false);
        assertTrue(m.contains("trained on model models/tiny-a (embedding fingerprint " + THEIRS.substring(0, 19))
                && m.contains("used with model tiny-b (" + OURS.substring(0, 19)) && m.contains("--any-model")
                && m.contains("anyModel: true"), m);
        assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, 2, trainedOn("models/tiny-a", THEIRS), MODEL, true));
        assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, 2, trainedOn("models/tiny-b", OURS), MODEL, false));
        assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, 2, trainedOn(null, null), MODEL, false), "nothing recorded");
    }

    @Test
    void theFingerprintIsComputedOnlyWhenThePromptRecordsOne() {
        PromptCheck.Target never = new PromptCheck.Target("m", 2, () -> {
            throw new AssertionError("fingerprint computed for a prompt that records none");
        });
        assertDoesNotThrow(() -> PromptCheck.check("p", new float[] {1, 2}, 1, 2, trainedOn("m", null), never, false));
    }

    /** A checkpoint's fingerprint read from its file is the one its loaded model gives (what prompts record). */
    @Test
    void aCheckpointsFileFingerprintIsItsLoadedModels(@TempDir Path tmp) throws Exception {
        Path dir = TinyWorld.model(tmp.resolve("tiny"), 3);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             dev.prompttune.core.model.T5Model model = dev.prompttune.core.model.T5Model.load(dir, m)) {
            assertEquals(EmbeddingFingerprint.of(model.embeddingTable()), EmbeddingFingerprint.ofCheckpoint(dir, "fp32"));
        }
        Path other = TinyWorld.model(tmp.resolve("other"), 4);
        assertTrue(!EmbeddingFingerprint.ofCheckpoint(dir, "fp32").equals(EmbeddingFingerprint.ofCheckpoint(other, "fp32")));
    }

    /**
     * Fingerprints are remembered per checkpoint as its files are: weights written again in the same folder (same
     * size, a new file) give their own fingerprint, not the remembered one.
     */
    @Test
    void aCheckpointRewrittenInPlaceGetsItsNewFingerprint(@TempDir Path tmp) throws Exception {
        Path dir = TinyWorld.model(tmp.resolve("tiny"), 3);
        String before = EmbeddingFingerprint.ofCheckpoint(dir, "fp32");
        assertEquals(before, EmbeddingFingerprint.ofCheckpoint(dir, "fp32"));
        Path other = TinyWorld.model(tmp.resolve("other"), 4); // same shape, other weights
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(other)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String after = EmbeddingFingerprint.ofCheckpoint(dir, "fp32");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             dev.prompttune.core.model.T5Model model = dev.prompttune.core.model.T5Model.load(dir, m)) {
            assertEquals(EmbeddingFingerprint.of(model.embeddingTable()), after);
        }
        assertTrue(!before.equals(after));
    }
}
