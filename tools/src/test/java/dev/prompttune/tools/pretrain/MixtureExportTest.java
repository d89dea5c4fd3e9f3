package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.corpus.RepoData;
import dev.prompttune.tools.pretrain.mix.PromptabilityMixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU build's input: the Java mixture's own examples, written and read back unchanged. */
class MixtureExportTest {

    private static final String[] WORDS = {"church", "prayer", "senate", "budget", "money", "offer", "computer",
        "program", "village", "river", "bridge", "science", "energy", "garden", "winter", "market", "doctor", "music"};

    private static String[] buildArgs(Path corpus) {
        return new String[] {"--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(),
            "--tasks", RepoData.dir().resolve("tasks").toString(), "--batch", "4", "--dev-examples", "8",
            "--mix-steps", "5", "--mix-input", "48", "--mix-recipe", "keywords-topics", "--seed", "3"};
    }

    @Test
    void writesTheBuildsOwnDrawsAcrossBlocksAndReadsThemBack(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 14, 2, 1));
        Path file = tmp.resolve("out/mixture.bin.gz");
        int n = 300;
        PretrainOptions options = PretrainOptions.parse(buildArgs(corpus));
        try (T5Tokenizer tokenizer = T5Tokenizers.load(options.tokenizer())) {
            PromptabilityMixture mixture = MixtureBuild.of(options, tokenizer);
            MixtureExport.write(mixture, tokenizer.vocabSize(), n, options, file, 64); // 5 blocks, the last one short
            MixtureExport.Examples read = MixtureExport.read(file);

            // What the Java build draws for the same options (Pretrainer's mixture phase), in one go.
            long seed = Pretrainer.phaseSeed(options, Objective.MIXTURE);
            List<Example> train = mixture.sample(n, false, new SplittableRandom(seed));
            List<Example> held = mixture.sample(8, true, new SplittableRandom(Pretrainer.heldOutSeed(seed)));
            assertEquals(tokenizer.vocabSize(), read.vocabSize());
            assertEquals(n, read.trainInputs().length);
            assertEquals(8, read.heldInputs().length);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(train.get(i).input(), read.trainInputs()[i], "train input " + i);
                assertArrayEquals(train.get(i).target(), read.trainTargets()[i], "train target " + i);
            }
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(held.get(i).input(), read.heldInputs()[i], "held-out input " + i);
                assertArrayEquals(held.get(i).target(), read.heldTargets()[i], "held-out target " + i);
            }
            assertCheckable(read, tmp);
        }
    }

    private static void assertCheckable(MixtureExport.Examples read, Path tmp) throws Exception {
        // Not a constant stream: the examples differ, and every row ends with eos (id 1).
        assertTrue(Arrays.stream(read.trainTargets()).map(Arrays::toString).distinct().count() > 10);
        assertTrue(Arrays.stream(read.trainInputs()).allMatch(r -> r[r.length - 1] == 1));
        String meta = Files.readString(tmp.resolve("out/mixture.bin.gz.json"));
        assertTrue(meta.contains("\"train_examples\": 300") && meta.contains("keywords-topics"), meta);
        try (var files = Files.list(tmp.resolve("out"))) {
            assertEquals(2, files.count(), "no temp file left beside the export");
        }
    }

    @Test
    void aTruncatedOrForeignFileIsRefusedByName(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, PretrainerTest.randomText(WORDS, 300, 14, 2, 1));
        Path file = tmp.resolve("m.bin.gz");
        String[] build = buildArgs(corpus);
        String[] args = Arrays.copyOf(build, build.length + 4);
        System.arraycopy(new String[] {"--examples", "50", "--file", file.toString()}, 0, args, build.length, 4);
        MixtureExport.export(args);

        byte[] whole = Files.readAllBytes(file);
        byte[] raw = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(whole)).readAllBytes();
        Path cut = tmp.resolve("cut.bin.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(cut))) {
            out.write(raw, 0, raw.length - 3);
        }
        PromptTuneException truncated = assertThrows(PromptTuneException.class, () -> MixtureExport.read(cut));
        assertTrue(truncated.getMessage().contains("truncated") && truncated.getMessage().contains(cut.toString()),
                truncated.getMessage());

        Path foreign = tmp.resolve("foreign.bin.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(foreign))) {
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        PromptTuneException notOurs = assertThrows(PromptTuneException.class, () -> MixtureExport.read(foreign));
        assertTrue(notOurs.getMessage().contains("not a mixture export"), notOurs.getMessage());

        String[] bad = Arrays.copyOf(build, build.length + 4);
        System.arraycopy(new String[] {"--examples", "0", "--file", file.toString()}, 0, bad, build.length, 4);
        PromptTuneException zero = assertThrows(PromptTuneException.class, () -> MixtureExport.export(bad));
        assertTrue(zero.getMessage().contains("--examples is '0'"), zero.getMessage());
        String[] folder = Arrays.copyOf(build, build.length + 4);
        System.arraycopy(new String[] {"--examples", "5", "--file", tmp.toString()}, 0, folder, build.length, 4);
        PromptTuneException isFolder = assertThrows(PromptTuneException.class, () -> MixtureExport.export(folder));
        assertTrue(isFolder.getMessage().contains("--file " + tmp + " is a folder"), isFolder.getMessage());
    }
}
