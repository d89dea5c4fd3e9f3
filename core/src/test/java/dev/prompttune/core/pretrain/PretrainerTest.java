package dev.prompttune.core.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.corpus.RepoData;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both phases end to end at fixture size (d_model 32, a few steps on a few hundred sentences): each writes a
 * loadable Hugging Face directory with tokenizer, generation config, model card and log; the LM checkpoint's log
 * holds both phases.
 */
class PretrainerTest {

    @Test
    void twoPhasesWriteLoadableCheckpoints(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>();
        String[] words = {"the", "monkey", "was", "quite", "old", "and", "both", "its", "legs", "were", "tired", "money", "fast",
            "click", "here", "now", "free", "offer", "people", "village"};
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                s.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            lines.add(s.append('.').toString());
            if (i % 10 == 9) {
                lines.add("");
            }
        }
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines);
        Path out = tmp.resolve("models");
        String[] args = {"--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(), "--out", out.toString(),
            "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64", "--encoder-layers", "1", "--decoder-layers", "1",
            "--batch", "4", "--span-steps", "3", "--lm-steps", "2", "--span-chunk", "32", "--lm-chunk", "32",
            "--warmup", "1", "--log-every", "1", "--eval-every", "2", "--dev-examples", "8"};
        List<Pretrainer.PhaseResult> results;
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            results = new Pretrainer(Pretrainer.Options.parse(args), tok, root).run();
            for (String name : List.of("t5-mini-span", "t5-mini")) {
                Path dir = out.resolve(name);
                for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                        "generation_config.json", "README.md", "pretrain-log.jsonl")) {
                    assertTrue(Files.isRegularFile(dir.resolve(f)), name + "/" + f);
                }
                try (T5Model m = T5Model.load(dir, root)) {
                    assertEquals(32, m.config().dModel);
                    assertTrue(m.config().gated);
                    assertFalse(m.config().tieWordEmbeddings);
                    assertEquals(0.1f, m.config().dropoutRate, 1e-6);
                }
                assertTrue(Files.readString(dir.resolve("README.md")).contains("models/build-t5-mini.sh --seed 1"));
            }
        }
        assertEquals(2, results.size());
        assertEquals(3, results.get(0).steps());
        assertEquals(2, results.get(1).steps());
        for (Pretrainer.PhaseResult p : results) {
            assertTrue(Double.isFinite(p.firstLoss()) && Double.isFinite(p.lastLoss()));
        }
        List<String> log = Files.readAllLines(out.resolve("t5-mini").resolve("pretrain-log.jsonl"));
        long spanLines = log.stream().filter(l -> l.contains("\"phase\":\"span\"")).count();
        long lmLines = log.stream().filter(l -> l.contains("\"phase\":\"lm\"")).count();
        assertTrue(spanLines >= 4 && lmLines >= 3, log.toString());
        for (String l : log) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertTrue(o.has("phase"));
        }
        String card = Files.readString(out.resolve("t5-mini").resolve("README.md"));
        assertTrue(card.contains("t5-mini-span") && card.contains("| t5-mini |"), card);
    }

    @Test
    void corpusChunksAreConsecutiveRuns() {
        int[] stream = new int[100];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i + 3;
        }
        PretrainCorpus c = PretrainCorpus.of(stream);
        assertEquals(3, c.chunkCount(30));
        assertEquals(33, c.chunk(1, 30)[0]);
        assertEquals(62, c.chunk(1, 30)[29]);
    }
}
