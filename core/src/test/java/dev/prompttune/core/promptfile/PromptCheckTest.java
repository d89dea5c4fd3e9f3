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

    /**
     * A prompt trained with {@code precision 'fp16'} records the fingerprint of the rounded table; it is still a prompt
     * of that model at fp32, and a prompt trained at fp32 is one of it at fp16 (both ways, from a checkpoint folder
     * and from a loaded model). Another model's fp16 fingerprint is still refused.
     */
    @Test
    void aPromptTrainedAtTheOtherPrecisionIsOneOfTheSameModel(@TempDir Path tmp) throws Exception {
        Path dir = TinyWorld.model(tmp.resolve("tiny"), 3);
        Path other = TinyWorld.model(tmp.resolve("other"), 4);
        String fp32 = EmbeddingFingerprint.ofCheckpoint(dir, "fp32");
        String fp16 = EmbeddingFingerprint.ofCheckpoint(dir, "fp16");
        assertTrue(!fp32.equals(fp16), "the tiny model's table must change when rounded, or this test shows nothing");
        int width = dev.prompttune.core.model.T5Config.load(dir).dModel;
        float[] ok = new float[2 * width];
        PromptCheck.Target at32 = PromptCheck.Target.ofCheckpoint(dir.toString(), dir, "fp32");
        PromptCheck.Target at16 = PromptCheck.Target.ofCheckpoint(dir.toString(), dir, "fp16");
        assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, width, trainedOn(dir.toString(), fp16), at32, false));
        assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, width, trainedOn(dir.toString(), fp32), at16, false));
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             dev.prompttune.core.model.T5Model loaded32 = dev.prompttune.core.model.T5Model.load(dir, m);
             dev.prompttune.core.model.T5Model loaded16 = dev.prompttune.core.model.T5Model.load(dir, m,
                     ai.djl.ndarray.types.DataType.FLOAT16)) {
            assertEquals(fp16, EmbeddingFingerprint.of(loaded16.embeddingTable()), "the loaded fp16 model's own fingerprint");
            assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, width, trainedOn(dir.toString(), fp16),
                    PromptCheck.Target.of(loaded32, dir.toString()), false));
            assertDoesNotThrow(() -> PromptCheck.check("p", ok, 2, width, trainedOn(dir.toString(), fp32),
                    PromptCheck.Target.of(loaded16, dir.toString()), false));
        }
        String theirs16 = EmbeddingFingerprint.ofCheckpoint(other, "fp16");
        assertThrows(PromptTuneException.class,
                () -> PromptCheck.check("p", ok, 2, width, trainedOn(other.toString(), theirs16), at32, false));
    }

    /** The same checkpoint named once by its folder's path and once another way is not "another model". */
    @Test
    void oneModelNamedTwoWaysWhoseWeightsChangedIsSaidToHaveChanged(@TempDir Path tmp) throws Exception {
        Path dir = TinyWorld.model(tmp.resolve("tiny"), 3);
        int width = dev.prompttune.core.model.T5Config.load(dir).dModel;
        PromptCheck.Target target = PromptCheck.Target.ofCheckpoint(tmp.resolve("./tiny/../tiny").toString(), dir, "fp32");
        String m = assertThrows(PromptTuneException.class, () -> PromptCheck.check("p", new float[2 * width], 2, width,
                trainedOn(dir.toString(), THEIRS), target, false)).getMessage();
        assertTrue(m.contains("its weights have changed since") && !m.contains("another model"), m);
    }
}
