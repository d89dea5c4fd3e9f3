package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.SafetensorsFile;
import dev.prompttune.core.run.RunCheckpoint;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.tools.corpus.RepoData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model build stopped mid-phase (as Ctrl-C stops it: an interrupt, then the step boundary) and resumed with
 * {@code --resume true} ends exactly as the uninterrupted build: the same weights, bit for bit, and the same log
 * (every loss window and held-out value; only the elapsed seconds differ). Dropout is on, so the masks must follow the
 * step too. A checkpoint is never overwritten by a build that was not asked to resume, nor resumed by another recipe.
 */
class PretrainResumeTest {

    private static final String[] WORDS = {"the", "monkey", "was", "quite", "old", "and", "both", "its", "legs", "were",
        "tired", "money", "fast", "click", "here", "now", "free", "offer", "people", "village"};

    private static String[] args(Path corpus, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(),
                "--out", out.toString(), "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64",
                "--encoder-layers", "1", "--decoder-layers", "1", "--batch", "4", "--span-steps", "7", "--span-chunk", "32",
                "--warmup", "1", "--log-every", "2", "--eval-every", "3", "--dev-examples", "8", "--train-dropout", "0.1",
                "--phases", "span"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /**
     * Runs the build; with {@code stopAt} > 0, interrupts it at the end of that step, as Ctrl-C does.
     *
     * @return the steps this build trained
     */
    private static List<Integer> build(String[] args, int stopAt) {
        List<Integer> trained = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            Pretrainer pretrainer = new Pretrainer(PretrainOptions.parse(args), tok, root);
            pretrainer.extraListeners.add(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    trained.add(e.step());
                    if (e.step() == stopAt) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            pretrainer.run();
        }
        return trained;
    }

    /** The log's lines without their elapsed seconds. */
    private static List<String> log(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("pretrain-log.jsonl")).stream()
                .filter(l -> l.contains("\"phase\":\"span\"") && !l.contains("\"summary\""))
                .map(l -> l.replaceAll(",\"s\":[0-9.]+", "")).toList();
    }

    @Test
    void aStoppedPhaseResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 12, 1, 10));
        Path whole = tmp.resolve("whole");
        build(args(corpus, whole), 0);

        Path split = tmp.resolve("split");
        Pretrainer.Interrupted stopped = assertThrows(Pretrainer.Interrupted.class, () -> build(args(corpus, split), 5));
        assertTrue(stopped.getMessage().contains("stopped at step 5 of 7") && stopped.getMessage().contains("--resume true"),
                stopped.getMessage());
        Path checkpointDir = split.resolve("t5-mini-span.resume");
        assertTrue(RunCheckpoint.exists(checkpointDir), "checkpoint written on the stop");
        assertFalse(Files.exists(split.resolve("t5-mini-span").resolve("model.safetensors")), "no model saved");

        // Without --resume the checkpoint is refused, not overwritten; another recipe cannot resume it.
        PromptTuneException refused = assertThrows(PromptTuneException.class, () -> build(args(corpus, split), 0));
        assertTrue(refused.getMessage().contains("--resume true") && refused.getMessage().contains("t5-mini-span.resume"),
                refused.getMessage());
        PromptTuneException other = assertThrows(PromptTuneException.class,
                () -> build(args(corpus, split, "--span-lr", "0.002", "--resume", "true"), 0));
        // The setting that differs, named with both values (the checkpoint keeps the recipe), and only that one.
        assertTrue(other.getMessage().contains("other settings than it is resumed with: span_lr (started 0.003, now 0.002), "
                + "lr (started 0.003, now 0.002); allowed:"), other.getMessage());
        assertTrue(RunCheckpoint.exists(checkpointDir), "a refused resume leaves the checkpoint");

        assertEquals(List.of(6, 7), build(args(corpus, split, "--resume", "true"), 0), "steps trained after the resume");
        assertArrayEquals(Files.readAllBytes(whole.resolve("t5-mini-span").resolve("model.safetensors")),
                Files.readAllBytes(split.resolve("t5-mini-span").resolve("model.safetensors")), "weights, bit for bit");
        List<String> expected = log(whole.resolve("t5-mini-span"));
        assertTrue(expected.size() >= 6, expected.toString());
        assertEquals(expected, log(split.resolve("t5-mini-span")));
        assertFalse(Files.exists(checkpointDir), "the checkpoint goes once the phase is saved");
    }

    /**
     * A checkpoint whose weights were overwritten in place with finite values (4 KiB of them) is refused, naming the
     * file: it passed every other check and trained on silently. One written before checkpoints recorded their
     * checksum (here: the checksum blanked out) still resumes, with a [WARN] line, to the uninterrupted result.
     */
    @Test
    void aTamperedCheckpointIsRefusedAndAnUnverifiableOneResumesWithAWarning(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 12, 1, 10));
        Path whole = tmp.resolve("whole");
        build(args(corpus, whole), 0);
        Path split = tmp.resolve("split");
        assertThrows(Pretrainer.Interrupted.class, () -> build(args(corpus, split), 5));
        Path checkpoint = split.resolve("t5-mini-span.resume").resolve(RunCheckpoint.FILE);
        byte[] written = Files.readAllBytes(checkpoint);

        long at;
        long size;
        try (SafetensorsFile in = SafetensorsFile.open(checkpoint)) {
            at = in.info("current.0").begin();
            size = in.info("current.0").end() - at;
        }
        assertTrue(size >= 4096, "the tensor holds 4 KiB: " + size);
        byte[] tampered = written.clone();
        ByteBuffer floats = ByteBuffer.wrap(tampered).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 1024; i++) {
            floats.putFloat((int) at + 4 * i, 0.25f);
        }
        Files.write(checkpoint, tampered);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> build(args(corpus, split, "--resume", "true"), 0));
        assertTrue(e.getMessage().startsWith(checkpoint + ": corrupt checkpoint: its tensors changed since it was written"),
                e.getMessage());
        assertTrue(e.getMessage().contains("allowed: the checkpoint as prompttune wrote it, or start afresh"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertArrayEquals(tampered, Files.readAllBytes(checkpoint), "a refused resume leaves the checkpoint");

        // As written before checksums: the field blanked with spaces (the header keeps its length and stays JSON).
        String bytes = new String(written, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher digest = java.util.regex.Pattern.compile(",\\\\\"tensor_sha256\\\\\":\\\\\"sha256:[0-9a-f]{64}\\\\\"")
                .matcher(bytes);
        assertTrue(digest.find(), "the checkpoint records its checksum");
        String unverified = bytes.substring(0, digest.start()) + " ".repeat(digest.end() - digest.start())
                + bytes.substring(digest.end());
        Files.write(checkpoint, unverified.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        List<Integer> trained;
        try {
            trained = build(args(corpus, split, "--resume", "true"), 0);
        } finally {
            System.setErr(saved);
        }
        assertEquals(List.of(6, 7), trained);
        List<String> warnings = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("[WARN]")).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(checkpoint + ": written before checkpoints recorded a checksum"), warnings.get(0));
        assertArrayEquals(Files.readAllBytes(whole.resolve("t5-mini-span").resolve("model.safetensors")),
                Files.readAllBytes(split.resolve("t5-mini-span").resolve("model.safetensors")), "weights, bit for bit");
    }
}
