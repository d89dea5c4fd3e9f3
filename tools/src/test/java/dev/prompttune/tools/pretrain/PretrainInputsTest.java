package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.tools.ToolArgs;
import dev.prompttune.tools.corpus.RepoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What would stop a build part-way is refused before its first step, in one line naming the option or file, the value
 * and what is allowed: a corpus too small for one example (it divided by zero), an output folder that cannot be
 * written (it trained up to the first checkpoint write and lost that), a model shape or example count that cannot fit.
 */
class PretrainInputsTest {

    private static final String[] WORDS = {"the", "monkey", "was", "quite", "old", "and", "both", "its", "legs", "were"};

    private static String[] args(Path corpus, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(),
                "--out", out.toString(), "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64",
                "--encoder-layers", "1", "--decoder-layers", "1", "--batch", "4", "--span-steps", "3", "--span-chunk", "32",
                "--lm-steps", "2", "--lm-chunk", "32", "--warmup", "1", "--log-every", "1", "--eval-every", "2",
                "--dev-examples", "8", "--phases", "span"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Runs the build expecting a refusal before any step; returns its message. */
    private static String refused(String[] args) {
        List<Integer> trained = new ArrayList<>();
        PromptTuneException e;
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            Pretrainer pretrainer = new Pretrainer(PretrainOptions.parse(args), tok, root);
            pretrainer.extraListeners.add(new TrainingListener() {
                @Override
                public void onStep(StepEvent s) {
                    trained.add(s.step());
                }
            });
            e = assertThrows(PromptTuneException.class, pretrainer::run);
        }
        assertEquals(List.of(), trained, "refused before the first step");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aCorpusTooSmallForOneExampleIsNamed(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        String allowed = "; allowed: a corpus of at least 320 tokens (10 chunks of --span-chunk 32; one in ten is held out "
                + "for the validation loss), UTF-8 text, one paragraph a line";
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        assertEquals("corpus " + empty + " has no words" + allowed, refused(args(empty, out)));
        Path blank = Files.writeString(tmp.resolve("blank.txt"), "  \n\t\n\n   \n");
        assertEquals("corpus " + blank + " has no words" + allowed, refused(args(blank, out)));
        Path small = Files.writeString(tmp.resolve("small.txt"), "the monkey was quite old\n");
        String m = refused(args(small, out));
        assertTrue(m.matches(java.util.regex.Pattern.quote("corpus " + small + " has ") + "\\d+ tokens, 0 chunk\\(s\\) of "
                + java.util.regex.Pattern.quote("--span-chunk 32" + allowed)), m);
        // Enough for the span phase, not for the LM phase's chunks: refused before the span phase trains.
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 12, 1, 10));
        String lm = refused(args(corpus, out, "--phases", "span,lm", "--lm-chunk", "100000"));
        assertTrue(lm.startsWith("corpus " + corpus + " has ") && lm.contains(" chunk(s) of --lm-chunk 100000; allowed: "
                + "a corpus of at least 1000000 tokens"), lm);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsRefusedBeforeTraining(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 12, 1, 10));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertEquals("--out " + file + " is a file; allowed: a folder this user can create and write (new or existing)",
                refused(args(corpus, file)));
        assertEquals("--out " + file.resolve("sub") + " cannot be created: " + file + " is a file, not a folder; allowed: "
                + "a folder this user can create and write (new or existing)", refused(args(corpus, file.resolve("sub"))));
        if (Files.isDirectory(Path.of("/proc/self"))) { // Linux: refuses new folders whatever the user (root included)
            assertEquals("--out /proc/x cannot be created: /proc does not take new folders (a virtual or special file "
                    + "system); allowed: a folder this user can create and write (new or existing)",
                    refused(args(corpus, Path.of("/proc/x"))));
        }
    }

    /** The check writes to find out and leaves nothing: not the folders it made, not its probe file. */
    @Test
    void theWriteCheckLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        ToolArgs.requireWritableFolder("--out", tmp.resolve("new/deeper"));
        assertFalse(Files.exists(tmp.resolve("new")));
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        ToolArgs.requireWritableFolder("--out", existing);
        try (var files = Files.list(existing)) {
            assertEquals(0, files.count());
        }
    }

    /** Shapes and counts past what a Java array or this heap holds: named with the options, not as an overflow. */
    @Test
    void aModelOrExampleCountThatCannotFitIsNamed(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 12, 1, 10));
        Path out = tmp.resolve("out");
        String dModel = refused(args(corpus, out, "--d-model", "2147483647"));
        assertTrue(dModel.startsWith("a weight of the vocabulary (") && dModel.contains(" × --d-model 2147483647 = ")
                && dModel.endsWith("; allowed: at most 2147483647 values a weight (a Java array)"), dModel);
        String heads = refused(args(corpus, out, "--heads", "2147483647"));
        assertTrue(heads.startsWith("a weight of --d-model 32 × --heads 2147483647 × --d-kv 8 = "), heads);
        String examples = refused(args(corpus, out, "--span-steps", "2000000000", "--batch", "1"));
        assertTrue(examples.startsWith("--span-steps 2000000000 × --batch 1 = 2,000,000,000 examples of --span-chunk 32 "
                + "tokens need at least ") && examples.contains("allowed: fewer steps, a smaller batch or shorter chunks"), examples);
        String chunks = refused(args(corpus, out, "--span-chunk", "2147483647"));
        assertTrue(chunks.startsWith("--span-steps 3 × --batch 4 = 12 examples of --span-chunk 2147483647 tokens need "), chunks);
        PromptTuneException overflow = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(args(corpus, out, "--span-steps", "2147483647")));
        assertEquals("--span-steps 2147483647 × --batch 4 = 8589934588 examples; allowed: at most 2147483647 examples a "
                + "phase (steps × batch)", overflow.getMessage());
        // The LM phase's steps are not counted when it does not run.
        PretrainOptions.parse(args(corpus, out, "--lm-steps", "2147483647"));
    }
}
