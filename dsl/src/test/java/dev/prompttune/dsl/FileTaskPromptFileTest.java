package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt trained on data files (no registered task) is, as a prompt file, scored and used for prediction again:
 * its metadata records the files. It used to name the training file's stem as a task ("data 'train' is not a
 * registered task"), whether the run's record still held its prompt or not.
 */
@ExtendWith(HomeExtension.class)
class FileTaskPromptFileTest {

    @TempDir
    Path tmp;

    @Test
    void aPromptOfDataFilesIsScoredAgainFromItsFile() throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        Path files = Files.createDirectories(tmp.resolve("files"));
        for (String split : new String[] {"train", "dev", "test"}) {
            Files.copy(markers.resolve(split + ".jsonl"), files.resolve(split + ".jsonl"));
        }
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun recorded = ex.promptTune(s -> s.model("tiny").train(files.resolve("train.jsonl").toString())
                    .dev(files.resolve("dev.jsonl").toString()).test(files.resolve("test.jsonl").toString())
                    .name("files").length(4).steps(4).batch(8).evalEvery(2).save(tmp.resolve("runs").toString()));
            PromptTuneRun unrecorded = ex.promptTune(s -> s.model("tiny").train(files.resolve("train.jsonl").toString())
                    .dev(files.resolve("dev.jsonl").toString()).test(files.resolve("test.jsonl").toString())
                    .name("gone").length(4).steps(4).batch(8).evalEvery(2).save(tmp.resolve("gone").toString()));
            deleteTree(unrecorded.record()); // savePrompt describes the run from its spec

            for (PromptTuneRun run : new PromptTuneRun[] {recorded, unrecorded}) {
                Path file = ex.savePrompt(run, tmp.resolve("saved/" + run.name()).toString());
                PromptTuneRun loaded = ex.loadPrompt(file.toString());
                Evaluation again = ex.evaluate(loaded, files.resolve("test.jsonl").toString());
                assertEquals(run.test(), again.value(), 0.0, run.name() + ": the file's prompt scores as the run did");
                assertTrue(!ex.predict(loaded, java.util.Map.of("text", "a marker text")).label().isEmpty(), run.name());
            }
        }
    }

    /**
     * The label field, input and target cuts and metric a run scored with travel in its prompt file: loaded from the
     * file alone, the prompt scored with the defaults (label field 'label' not found, 512 tokens, accuracy).
     */
    @Test
    void aPromptFileScoresWithItsRunsSettings() throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        Path files = Files.createDirectories(tmp.resolve("cat-files"));
        for (String split : new String[] {"train", "dev", "test"}) {
            Files.writeString(files.resolve(split + ".jsonl"),
                    Files.readString(markers.resolve(split + ".jsonl")).replace("\"label\":", "\"cat\":"));
        }
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun run = ex.promptTune(s -> s.model("tiny").train(files.resolve("train.jsonl").toString())
                    .dev(files.resolve("dev.jsonl").toString()).test(files.resolve("test.jsonl").toString())
                    .labelField("cat").metric("macro_f1").maxInputLength(9).maxTargetLength(3)
                    .name("cat").length(4).steps(4).batch(8).evalEvery(2).save(tmp.resolve("runs").toString()));
            Path file = ex.savePrompt(run, tmp.resolve("saved/cat").toString());
            PromptTuneRun loaded = ex.loadPrompt(file.toString());
            assertEquals("cat", loaded.spec().labelField());
            assertEquals(9, loaded.spec().maxInputLength());
            assertEquals(3, loaded.spec().maxTargetLength());
            Evaluation again = ex.evaluate(loaded, files.resolve("test.jsonl").toString());
            assertEquals("macro_f1", again.metric());
            assertEquals(run.test(), again.value(), 0.0, "the file's prompt scores as the run did");
        }
    }

    /**
     * A prompt file shared without the data it was trained on still predicts, from its template and labels (it
     * refused: "data file … does not exist"), with the scores it gave beside its data; nearest works and marks no
     * label words for a vocab-initialised prompt (a loaded prompt was taken for a labels-initialised one). Scoring
     * still needs the data, and says which file is missing.
     */
    @Test
    void aPromptOfDataFilesPredictsWithoutThem() throws Exception {
        Path markers = HomeExtension.home().resolve("data/tasks/markers");
        Path files = Files.createDirectories(tmp.resolve("shared-files"));
        for (String split : new String[] {"train", "dev"}) {
            Files.copy(markers.resolve(split + ".jsonl"), files.resolve(split + ".jsonl"));
        }
        java.util.List<Object> inputs = java.util.List.of("weather also time to also", java.util.Map.of("text", "most weather any"));
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun run = ex.promptTune(s -> s.model("tiny").train(files.resolve("train.jsonl").toString())
                    .dev(files.resolve("dev.jsonl").toString()).init("vocab").name("shared").length(4).steps(4).batch(8)
                    .evalEvery(2).save(tmp.resolve("runs").toString()));
            Path file = ex.savePrompt(run, tmp.resolve("saved/shared").toString());
            java.util.List<Prediction> before = ex.predict(ex.loadPrompt(file.toString()), inputs);
            deleteTree(files);
            deleteTree(run.record());

            PromptTuneRun loaded = ex.loadPrompt(file.toString());
            assertEquals("vocab", loaded.spec().init().kind(), "the file's initialiser");
            // Its table says what a file holds, not timings it does not have ("NaN s, … trainable 16 of 0").
            assertTrue(loaded.table().contains("loaded prompt: 4 × " + loaded.width() + " (" + 4 * loaded.width()
                    + " values), the best of its run at step 4") && !loaded.table().contains("NaN s"), loaded.table());
            java.util.List<Prediction> after = ex.predict(loaded, inputs);
            assertEquals(before, after, "the same labels and scores without the data");
            assertEquals(before, ex.predictMixed(java.util.List.of(loaded, loaded), inputs));
            Interpretation nearest = ex.nearest(loaded, 3);
            assertTrue(!nearest.toString().contains("label '"), nearest.toString());
            dev.prompttune.core.PromptTuneException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.prompttune.core.PromptTuneException.class, () -> ex.evaluate(loaded, markers.resolve("test.jsonl").toString()));
            assertEquals("data file " + files.resolve("train.jsonl") + " does not exist", e.getMessage());
        }
    }

    /**
     * A prompt that began from {@code init file(…)} is shown as such when loaded (it showed init 'labels', the default)
     * and, with that file gone, still predicts, is scored and joins an ensemble: none of them reads it.
     */
    @Test
    void aPromptFromAnInitFileIsLoadedAsSuchAndScoresWithoutIt() throws Exception {
        Path test = HomeExtension.home().resolve("data/tasks/markers/test.jsonl");
        try (Session session = new Session()) {
            Experiments ex = new Experiments(session);
            PromptTuneRun first = ex.promptTune(s -> s.model("tiny").data("markers").name("first").length(4).steps(2)
                    .batch(8).evalEvery(1).save(tmp.resolve("runs").toString()));
            Path start = ex.savePrompt(first, tmp.resolve("start/first").toString());
            PromptTuneRun second = ex.promptTune(s -> s.model("tiny").data("markers").init(s.file(start.toString()))
                    .name("second").length(4).steps(2).batch(8).evalEvery(1).save(tmp.resolve("runs").toString()));
            Path saved = ex.savePrompt(second, tmp.resolve("saved/second").toString());
            deleteTree(start.getParent());

            PromptTuneRun loaded = ex.loadPrompt(saved.toString());
            assertEquals("file('" + start + "')", loaded.spec().init().toString(), "how the prompt began");
            assertTrue(!ex.predict(loaded, java.util.Map.of("text", "most weather any")).label().isEmpty());
            assertEquals(second.test(), ex.evaluate(loaded, test.toString()).value(), 0.0);
            assertEquals(second.test(), ex.evaluate(second, test.toString()).value(), 0.0, "the run itself too");
            assertTrue(!ex.ensemble(java.util.List.of(second, first)).table().isBlank(), "members from an init file that is gone");
        }
    }

    /** A prompt file whose recorded template is broken is refused when loaded (it loaded, and predict failed later). */
    @Test
    void aPromptFileWithABrokenTemplateIsRefusedWhenLoaded() throws Exception {
        dev.prompttune.core.promptfile.PromptMetadata meta = dev.prompttune.core.promptfile.PromptMetadata.builder()
                .baseModel("tiny").task("markers").template("text: {text").build();
        Path file = dev.prompttune.core.promptfile.PromptFile.save(tmp, "broken", new float[4 * 32], 4, 32, meta);
        try (Session session = new Session()) {
            dev.prompttune.core.PromptTuneException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.prompttune.core.PromptTuneException.class, () -> new Experiments(session).loadPrompt(file.toString()));
            assertTrue(e.getMessage().startsWith("prompt file " + file + " records a broken template: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; allowed: the metadata its run wrote (edited by hand?)"), e.getMessage());
        }
    }

    /**
     * A setting a prompt file's metadata gets wrong (a placement not known, a verbalizer mapping two labels to one word)
     * is refused when the file is loaded, naming the file: it named only the value, at a script line that set none,
     * and the verbalizer passed loadPrompt and failed at predict.
     */
    @Test
    void aPromptFilesBadSettingsAreRefusedWhenLoadedNamingTheFile() throws Exception {
        var base = dev.prompttune.core.promptfile.PromptMetadata.builder().baseModel("tiny").task("markers");
        Path sideways = dev.prompttune.core.promptfile.PromptFile.save(tmp, "sideways", new float[4 * 32], 4, 32,
                base.placement("sideways").build());
        Path oneWord = dev.prompttune.core.promptfile.PromptFile.save(tmp, "one-word", new float[4 * 32], 4, 32,
                base.placement("prefix").verbalizer(java.util.Map.<String, Object>of("a", "x", "b", "x")).build());
        try (Session session = new Session()) {
            for (Path file : java.util.List.of(sideways, oneWord)) {
                dev.prompttune.core.PromptTuneException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.prompttune.core.PromptTuneException.class, () -> new Experiments(session).loadPrompt(file.toString()));
                assertTrue(e.getMessage().startsWith("prompt file " + file + " records a setting that cannot be used: "),
                        e.getMessage());
                assertTrue(e.getMessage().contains(file == sideways ? "placement 'sideways'" : "maps both"), e.getMessage());
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
