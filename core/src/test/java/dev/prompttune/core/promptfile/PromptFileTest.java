package dev.prompttune.core.promptfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.io.SafetensorsWriter;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt files: layout, metadata round trip, checks against the model, and bit-exact reuse. */
class PromptFileTest {

    @TempDir
    Path tmp;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static PromptMetadata fullMetadata() {
        return PromptMetadata.builder()
                .baseModel("google/t5-base-lm-adapt").embeddingFingerprint("sha256:abc")
                .init(Map.of("kind", "vocab", "top_k", 5000)).placement("prefix").task("sst2")
                .template("sentence: {sentence}").verbalizer(Map.of("0", "negative", "1", "positive"))
                .optimizer("adafactor").hyperParameter("lr", 0.3).hyperParameter("steps", 30000)
                .hyperParameter("schedule", "constant").seed(42L).dataFingerprints(Map.of("train", "sha256:def"))
                .best("accuracy", 0.91, 1200L).versions(Map.of("prompttune", "0.1.0", "djl", "0.34.0"))
                .timestamp("2025-01-31T12:00:00Z").build();
    }

    @Test
    void savesTwoFilesAndLoadsThemBackExactly() throws Exception {
        float[] values = random(4 * 8, 1);
        Path file = PromptFile.save(tmp, "best", values, 4, 8, fullMetadata());
        assertEquals(tmp.resolve("best.safetensors"), file);
        assertTrue(Files.isRegularFile(tmp.resolve("best.json")));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals("F32", f.info(PromptFile.TENSOR).dtype());
            assertArrayEquals(new long[] {4, 8}, f.info(PromptFile.TENSOR).shape());
        }
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("best.json"))).getAsJsonObject();
        assertEquals(PromptMetadata.FORMAT, json.get("format").getAsString());
        assertEquals(8, json.get("width").getAsInt());
        assertEquals(4, json.get("length").getAsInt());
        assertEquals("accuracy", json.getAsJsonObject("best").get("metric").getAsString());

        for (Path p : new Path[] {tmp.resolve("best"), tmp.resolve("best.safetensors"), tmp.resolve("best.json")}) {
            PromptFile.Loaded loaded = PromptFile.load(p);
            assertArrayEquals(values, loaded.values());
            assertEquals(4, loaded.length());
            assertEquals(8, loaded.width());
            PromptMetadata m = loaded.metadata();
            assertEquals(fullMetadata().toBuilder().shape(4, 8).build().toJson(), m.toJson());
            assertEquals(0.3, m.hyperParameters().get("lr"));
            assertEquals(30000L, m.hyperParameters().get("steps"));
            assertEquals(5000L, m.init().get("top_k"));
            assertEquals(42L, m.seed());
            assertEquals(1200L, m.bestStep());
            assertEquals("sha256:def", m.dataFingerprints().get("train"));
        }
    }

    @Test
    void aBasePathWorksAndTheTimestampIsStamped() {
        float[] values = random(2 * 3, 2);
        PromptFile.save(tmp.resolve("sub/run1.safetensors"), values, 2, 3, null);
        PromptFile.Loaded loaded = PromptFile.load(tmp.resolve("sub/run1"));
        assertArrayEquals(values, loaded.values());
        assertTrue(loaded.metadata().timestamp().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                loaded.metadata().timestamp());
    }

    @Test
    void aPromptFileWithoutMetadataStillLoads() {
        float[] values = random(3 * 4, 3);
        new SafetensorsWriter().add(PromptFile.TENSOR, values, new long[] {3, 4}, "F32").write(tmp.resolve("bare.safetensors"));
        PromptFile.Loaded loaded = PromptFile.load(tmp.resolve("bare.safetensors"));
        assertArrayEquals(values, loaded.values());
        assertEquals(3, loaded.metadata().length());
        assertNull(loaded.metadata().embeddingFingerprint());
    }

    @Test
    void badInputsAreNamed() throws Exception {
        String m = assertThrows(PromptTuneException.class, () -> PromptFile.load(tmp.resolve("nope"))).getMessage();
        assertTrue(m.contains("nope.safetensors") && m.contains("does not exist"), m);
        Path notAPromptFile = Files.writeString(tmp.resolve("weights.bin"), "x");
        m = assertThrows(PromptTuneException.class, () -> PromptFile.load(notAPromptFile)).getMessage();
        assertEquals("prompt file " + notAPromptFile + " is not a prompt file (" + notAPromptFile + ".safetensors does not "
                + "exist); allowed: DIR/NAME or DIR/NAME.safetensors, a safetensors file holding 'prompt_embeddings'", m);
        m = assertThrows(PromptTuneException.class, () -> PromptFile.save(tmp, "x", new float[5], 2, 3, null)).getMessage();
        assertTrue(m.contains("5 values") && m.contains("[2, 3]"), m);
        m = assertThrows(PromptTuneException.class, () -> PromptFile.save(tmp, "../x", new float[6], 2, 3, null)).getMessage();
        assertTrue(m.contains("'../x'"), m);
        PromptMetadata wrongShape = PromptMetadata.builder().shape(9, 9).build();
        m = assertThrows(PromptTuneException.class, () -> PromptFile.save(tmp, "x", new float[6], 2, 3, wrongShape)).getMessage();
        assertTrue(m.contains("[9, 9]") && m.contains("[2, 3]"), m);
        new SafetensorsWriter().add("weights", new float[2], new long[] {2}, "F32").write(tmp.resolve("other.safetensors"));
        m = assertThrows(PromptTuneException.class, () -> PromptFile.load(tmp.resolve("other"))).getMessage();
        assertTrue(m.contains("prompt_embeddings") && m.contains("weights"), m);
        // A folder as the base (savePrompt(run, '/tmp')) wrote /tmp.safetensors beside it; the root had no name at all.
        for (Path folder : List.of(tmp, tmp.getRoot())) {
            m = assertThrows(PromptTuneException.class, () -> PromptFile.save(folder, new float[6], 2, 3, null)).getMessage();
            assertTrue(m.contains(folder + " is a directory") && m.contains("DIR/NAME"), m);
        }
        assertTrue(Files.notExists(tmp.resolveSibling(tmp.getFileName() + ".safetensors")), "written beside the folder");
    }

    /**
     * A pair one of whose names is a folder is refused before either file is written (the .safetensors was written, then
     * the .json failed: half a pair); a name with a control character (a GString's newline) is refused.
     */
    @Test
    void aPairIsWrittenWholeOrNotAtAllAndNamesHaveNoControlCharacters() throws Exception {
        Files.createDirectories(tmp.resolve("half.json"));
        String m = assertThrows(PromptTuneException.class, () -> PromptFile.save(tmp, "half", new float[6], 2, 3, null))
                .getMessage();
        assertEquals("prompt file " + tmp.resolve("half.json") + " is a directory; allowed: a name whose .safetensors and "
                + ".json are files or not there yet", m);
        assertTrue(Files.notExists(tmp.resolve("half.safetensors")), "half of the pair was written");
        m = assertThrows(PromptTuneException.class, () -> PromptFile.save(tmp, "a\nb", new float[6], 2, 3, null)).getMessage();
        assertTrue(m.startsWith("prompt name 'a\\nb' is not allowed") && m.contains("control character"), m);
        assertEquals(1, m.lines().count(), m);
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("a")), "a file was written");
        }
    }

    @Test
    void fingerprintIsSha256OfTheFloat32Table() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = random(50 * 8, 4);
            NDArray table = m.create(values, new ai.djl.ndarray.types.Shape(50, 8));
            String f = EmbeddingFingerprint.of(table);
            assertTrue(f.matches("sha256:[0-9a-f]{64}"), f);
            assertEquals(EmbeddingFingerprint.of(values), f);
            assertEquals(f, EmbeddingFingerprint.of(table.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)));
            values[7] += 1e-3f;
            assertNotEquals(f, EmbeddingFingerprint.of(values));
        }
    }

    @Test
    void loadOntoChecksWidthAndFingerprint() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root);
             T5Model other = T5Model.random(model.config(), root, 3)) {
            int h = model.config().dModel;
            Map<String, String> versions = LibraryVersions.current();
            assertEquals("0.34.0", versions.get("djl"));
            assertTrue(versions.containsKey("pytorch"), versions.toString());
            PromptMetadata meta = PromptFile.describe(model).build();
            assertEquals(model.source(), meta.baseModel());
            Path saved = PromptFile.save(tmp, "p", random(3 * h, 5), 3, h, meta);
            assertEquals(3, PromptFile.loadOnto(saved, model, false).length());

            String m = assertThrows(PromptTuneException.class, () -> PromptFile.loadOnto(saved, other, false)).getMessage();
            assertTrue(m.contains("trained on model " + model.source()) && m.contains("used with model " + other.source())
                    && m.contains(meta.embeddingFingerprint().substring(0, 19))
                    && m.contains(EmbeddingFingerprint.of(other.embeddingTable()).substring(0, 19))
                    && m.contains("--any-model") && m.lines().count() == 1, m);
            assertEquals(3, PromptFile.loadOnto(saved, other, true).length());

            Path narrow = PromptFile.save(tmp, "narrow", random(2 * 16, 6), 2, 16, null);
            m = assertThrows(PromptTuneException.class, () -> PromptFile.loadOnto(narrow, model, true)).getMessage();
            assertTrue(m.contains("width 16") && m.contains("width " + h), m);
        }
    }

    @Test
    void saveLoadEvaluateReproducesPredictionsBitForBit() {
        long[][] inputs = {{12, 44, 9, 1}, {7, 1}, {30, 31, 32, 33, 34, 35, 1}, {99, 3, 1}, {50, 60, 70, 1}};
        long[][] classes = {{5, 1}, {6, 7, 1}, {8, 1}};
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root)) {
            int h = model.config().dModel;
            try (SoftPrompt prompt = SoftPrompt.of(random(6 * h, 7), 6, h, root)) {
                float[][] before = RankClassifier.score(model, EncoderInput.prompted(prompt, Placement.PREFIX), inputs,
                        classes, 2, root);
                Path file = PromptFile.save(tmp, "eval", prompt.toFloats(), 6, h, PromptFile.describe(model)
                        .placement(Placement.PREFIX.key()).build());
                PromptFile.Loaded loaded = PromptFile.loadOnto(file, model, false);
                try (SoftPrompt back = loaded.toSoftPrompt(root)) {
                    Placement placement = Placement.parse(loaded.metadata().placement());
                    float[][] after = RankClassifier.score(model, EncoderInput.prompted(back, placement), inputs, classes,
                            2, root);
                    for (int i = 0; i < inputs.length; i++) {
                        assertArrayEquals(before[i], after[i], 0f, "example " + i);
                    }
                    assertArrayEquals(RankClassifier.argmax(before), RankClassifier.argmax(after));
                }
            }
        }
    }

    @Test
    void metadataJsonRoundTripsThroughText() {
        PromptMetadata m = fullMetadata().toBuilder().shape(2, 2).build();
        assertEquals(m.toJson(), PromptMetadata.fromJson(m.toJson(), "x").toJson());
        String msg = assertThrows(PromptTuneException.class, () -> PromptMetadata.fromJson("[1]", "f.json")).getMessage();
        assertTrue(msg.contains("f.json"), msg);
        assertEquals(List.of(), List.copyOf(PromptMetadata.builder().build().init().keySet()));
    }

    /** Another format's metadata, or a shape field that is no count, is refused naming the field and what is allowed. */
    @Test
    void metadataOfAnotherFormatOrWithABadShapeIsRefused() {
        String json = fullMetadata().toBuilder().shape(2, 2).build().toJson();
        String other = json.replace("\"prompttune-prompt/1\"", "\"prompttune-prompt/99\"");
        assertEquals("m.json: prompt metadata format is \"prompttune-prompt/99\"; allowed: \"prompttune-prompt/1\"",
                assertThrows(PromptTuneException.class, () -> PromptMetadata.fromJson(other, "m.json")).getMessage());
        for (String width : List.of("\"wide\"", "2.5", "0", "-2")) {
            String bad = json.replaceFirst("\"width\": 2", "\"width\": " + width);
            assertEquals("m.json: prompt metadata width is " + width + "; allowed: a whole number from 1",
                    assertThrows(PromptTuneException.class, () -> PromptMetadata.fromJson(bad, "m.json")).getMessage(), bad);
        }
    }
}
