package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.tools.corpus.RepoData;
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
        String[] words = {"the", "monkey", "was", "quite", "old", "and", "both", "its", "legs", "were", "tired", "money", "fast",
            "click", "here", "now", "free", "offer", "people", "village"};
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, randomText(words, 300, 12, 1, 10));
        Path out = tmp.resolve("models");
        String[] args = {"--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(), "--out", out.toString(),
            "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64", "--encoder-layers", "1", "--decoder-layers", "1",
            "--batch", "4", "--span-steps", "3", "--lm-steps", "2", "--span-chunk", "32", "--lm-chunk", "32",
            "--warmup", "1", "--log-every", "1", "--eval-every", "2", "--dev-examples", "8",
            "--tasks", RepoData.dir().resolve("tasks").toString(), "--mix-steps", "2", "--mix-input", "48",
            "--phases", "span,lm,mix"};
        List<PhaseResult> results;
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            results = new Pretrainer(PretrainOptions.parse(args), tok, root).run();
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
        assertEquals(3, results.size());
        assertEquals(3, results.get(0).steps());
        assertEquals(2, results.get(1).steps());
        assertEquals(2, results.get(2).steps());
        // The mixture checkpoint: trained without dropout and says so; its card lists the tasks and hold-out rules.
        Path mix = out.resolve("t5-mini-mix");
        try (NDManager root = NDManager.newBaseManager(); T5Model m = T5Model.load(mix, root)) {
            assertEquals(0f, m.config().dropoutRate, 1e-6);
        }
        String mixCard = Files.readString(mix.resolve("README.md"));
        assertTrue(mixCard.contains("promptability mixture") && mixCard.contains("word-present")
                && mixCard.contains("Hold-out rules"), mixCard);
        assertTrue(Files.readString(mix.resolve("pretrain-log.jsonl")).contains("\"phase\":\"mix\""));
        for (PhaseResult p : results) {
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

    /**
     * The keyword build (the task every shipped mixture recipe starts from, at fixture size): from random weights,
     * tied head, Adafactor; its checkpoint is tied, trained without dropout, and its card and log describe this build
     * only (no span history).
     */
    @Test
    void keywordBuildFromRandomWeightsWritesATiedCheckpoint(@TempDir Path tmp) throws Exception {
        String[] words = {"church", "prayer", "senate", "budget", "money", "offer", "computer", "program", "village",
            "river", "bridge", "science", "energy", "garden", "winter", "market", "doctor", "music", "theatre", "army"};
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, randomText(words, 300, 14, 2, 1)); // one document a sentence
        Path out = tmp.resolve("models");
        String[] args = {"--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(), "--out", out.toString(),
            "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64", "--encoder-layers", "1", "--decoder-layers", "1",
            "--batch", "4", "--warmup", "1", "--log-every", "1", "--eval-every", "2", "--dev-examples", "8",
            "--tasks", RepoData.dir().resolve("tasks").toString(), "--mix-steps", "3", "--mix-input", "48",
            "--phases", "mix", "--mix-name", "t5-mini-keywords", "--mix-recipe", "keywords-half-missing",
            "--mix-from-random", "true", "--mix-tied", "true", "--optimizer", "adafactor-t5", "--mix-lr", "1e-2"};
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            List<PhaseResult> results = new Pretrainer(PretrainOptions.parse(args), tok, root).run();
            assertEquals(1, results.size());
            assertEquals(3, results.get(0).steps());
            try (T5Model m = T5Model.load(out.resolve("t5-mini-keywords"), root)) {
                assertTrue(m.config().tieWordEmbeddings);
                assertTrue(m.config().scaleDecoderOutputs);
                assertEquals(0f, m.config().dropoutRate, 1e-6);
                assertFalse(m.weights().all().containsKey("lm_head.weight"));
            }
        }
        Path dir = out.resolve("t5-mini-keywords");
        String card = Files.readString(dir.resolve("README.md"));
        assertTrue(card.contains("keyword task") && card.contains("random initialisation")
                && card.contains("models/build-t5-mini-keywords.sh") && card.contains("shared with the LM head"), card);
        List<String> log = Files.readAllLines(dir.resolve("pretrain-log.jsonl"));
        assertTrue(log.stream().noneMatch(l -> l.contains("\"phase\":\"span\"")), "no span history: " + log);
        assertTrue(log.get(log.size() - 1).contains("\"mix_recipe\":\"keywords-half-missing\""), log.get(log.size() - 1));
    }

    /**
     * {@code --init-embeddings ppmi}: the build starts from word vectors of its own training passages. In a corpus of
     * two vocabularies that never meet, each word's starting vector lies near its own vocabulary's and away from the
     * other's (T5's random rows are nearly orthogonal to everything), seen rows have T5's scale, and tokens the
     * passages never hold keep their random rows.
     */
    @Test
    void ppmiEmbeddingsStartTheBuildFromItsOwnCooccurrences(@TempDir Path tmp) throws Exception {
        String[] church = {"church", "prayer", "god", "faith", "priest"};
        String[] machine = {"computer", "program", "software", "memory", "data"};
        List<String> lines = new ArrayList<>();
        List<String> a = randomText(church, 150, 14, 2, 1);
        List<String> b = randomText(machine, 150, 14, 3, 1);
        for (int i = 0; i < a.size(); i++) {
            lines.add(a.get(i));
            lines.add(b.get(i));
        }
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines);
        String[] args = {"--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(),
            "--out", tmp.resolve("models").toString(), "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64",
            "--encoder-layers", "1", "--decoder-layers", "1", "--tasks", RepoData.dir().resolve("tasks").toString(),
            "--phases", "mix", "--mix-recipe", "keywords-only", "--mix-from-random", "true", "--mix-tied", "true",
            "--init-embeddings", "ppmi", "--ppmi-window", "4"};
        try (NDManager root = NDManager.newBaseManager(); T5Tokenizer tok = T5Tokenizers.load(RepoData.tokenizer())) {
            Pretrainer pretrainer = new Pretrainer(PretrainOptions.parse(args), tok, root);
            PretrainOptions plain = PretrainOptions.parse(java.util.Arrays.copyOf(args, args.length - 4));
            try (T5Model start = pretrainer.mixtureStart();
                 T5Model random = new Pretrainer(plain, tok, root).mixtureStart()) {
                float[] e = start.weights().all().get("shared.weight").parameter().getArray().toFloatArray();
                float[] r = random.weights().all().get("shared.weight").parameter().getArray().toFloatArray();
                int[] c = ids(tok, church);
                int[] m = ids(tok, machine);
                for (int i = 1; i < c.length; i++) {
                    assertTrue(cosine(e, c[0], c[i]) > cosine(e, c[0], m[i]) + 0.3,
                            church[i] + " nearer to church than " + machine[i]);
                    assertTrue(cosine(e, m[0], m[i]) > cosine(e, m[0], c[i]) + 0.3,
                            machine[i] + " nearer to computer than " + church[i]);
                }
                int sentinel = Math.toIntExact(tok.encode("<extra_id_0>", false)[0]);
                assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(r, sentinel * 32, sentinel * 32 + 32)),
                        java.util.Arrays.toString(java.util.Arrays.copyOfRange(e, sentinel * 32, sentinel * 32 + 32)),
                        "a token no passage holds keeps its random row");
                double squares = 0;
                for (int id : c) {
                    for (int k = 0; k < 32; k++) {
                        squares += e[id * 32 + k] * e[id * 32 + k];
                    }
                }
                double rms = Math.sqrt(squares / (c.length * 32));
                assertTrue(rms > 0.3 && rms < 3, "seen rows at T5's N(0, 1) scale, RMS " + rms);
            }
        }
    }

    private static int[] ids(T5Tokenizer tok, String[] words) {
        int[] out = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            long[] pieces = tok.encode(words[i], false);
            out[i] = Math.toIntExact(pieces[pieces.length - 1]);
        }
        return out;
    }

    private static double cosine(float[] rows, int a, int b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < 32; k++) {
            double x = rows[a * 32 + k];
            double y = rows[b * 32 + k];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * {@code --check N} replays the first N steps of a logged build: against its own build it passes (same seed ⇒ same
     * initialisation and batches), a doctored log fails it, and a different recipe (here the number of steps, which
     * changes the data order) is refused before training, naming the option.
     */
    @Test
    void checkReplaysTheLoggedRecipe(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, sentences(200));
        Path out = tmp.resolve("models");
        List<String> recipe = List.of("--corpus", corpus.toString(), "--tokenizer", RepoData.tokenizer().toString(),
            "--out", out.toString(), "--d-model", "32", "--d-kv", "8", "--heads", "2", "--d-ff", "64",
            "--encoder-layers", "1", "--decoder-layers", "1", "--batch", "4", "--span-steps", "6", "--span-chunk", "32",
            "--warmup", "1", "--log-every", "2", "--eval-every", "3", "--dev-examples", "8", "--phases", "span");
        assertEquals(0, Pretrainer.build(recipe.toArray(String[]::new)));
        Path log = out.resolve("t5-mini-span").resolve("pretrain-log.jsonl");
        List<String> built = Files.readAllLines(log);

        List<String> check = new ArrayList<>(recipe);
        check.addAll(List.of("--check", "4"));
        assertEquals(0, Pretrainer.build(check.toArray(String[]::new)), "a replay of the same build passes");
        assertEquals(built, Files.readAllLines(log), "a check writes nothing");

        // The summary's first window (step 1) raised by 5 %: the replay must notice.
        List<String> doctored = new ArrayList<>();
        for (String line : built) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("summary")) {
                com.google.gson.JsonArray first = o.getAsJsonObject("summary").getAsJsonArray("windows").get(0).getAsJsonArray();
                first.set(1, new com.google.gson.JsonPrimitive(first.get(1).getAsDouble() * 1.05));
                line = o.toString();
            }
            doctored.add(line);
        }
        Files.write(log, doctored);
        assertEquals(1, Pretrainer.build(check.toArray(String[]::new)), "a 5 % difference fails the 1 % tolerance");

        List<String> otherSteps = new ArrayList<>(check);
        otherSteps.set(otherSteps.indexOf("--span-steps") + 1, "7");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> Pretrainer.build(otherSteps.toArray(String[]::new)));
        assertTrue(e.getMessage().contains("span_steps 6 in the log, 7 now"), e.getMessage());

        // The summary records the numerics the build had.
        JsonObject summary = summaryOf(built);
        JsonObject numerics = summary.getAsJsonObject("numerics");
        assertTrue(numerics.has("cpu") && numerics.has("threads") && numerics.has("conv_linear"), numerics.toString());

        // Logs written before gradient clipping existed say nothing of it: they were unclipped, so a check with
        // --max-grad-norm 1 is refused, by name, and one without clipping (the default) is accepted and passes.
        summary.getAsJsonObject("options").remove("max_grad_norm");
        Files.write(log, List.of(summary.toString()));
        List<String> clippedCheck = new ArrayList<>(check);
        clippedCheck.addAll(List.of("--max-grad-norm", "1"));
        PromptTuneException clipped = assertThrows(PromptTuneException.class, () -> Pretrainer.build(clippedCheck.toArray(String[]::new)));
        assertTrue(clipped.getMessage().contains("max_grad_norm 0 in the log, 1.0 now"), clipped.getMessage());
        assertEquals(0, Pretrainer.build(check.toArray(String[]::new)));
    }

    private static JsonObject summaryOf(List<String> log) {
        JsonObject found = null;
        for (String line : log) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("summary")) {
                found = o;
            }
        }
        assertTrue(found != null, "no summary line in " + log);
        return found;
    }

    @Test
    void numericsDifferencesNameTheSettingAndBothValues() {
        java.util.Map<String, Object> logged = java.util.Map.of("cpu", "A", "threads", "2", "conv_linear", "on");
        java.util.Map<String, Object> now = new java.util.LinkedHashMap<>();
        now.put("cpu", "B");
        now.put("threads", "2");
        now.put("conv_linear", "off");
        now.put("MKL_CBWR", "AVX2");
        assertEquals(List.of("cpu A → B", "conv_linear on → off", "MKL_CBWR (not logged) → AVX2"),
                BuildNumerics.differences(logged, now));
    }

    @Test
    void badOptionsNameTheOption() {
        PromptTuneException unknown = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--span-step", "10"}));
        assertTrue(unknown.getMessage().contains("--span-step"), unknown.getMessage());
        PromptTuneException number = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--check", "many"}));
        assertTrue(number.getMessage().contains("many"), number.getMessage());
        PromptTuneException negative = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--check", "-3"}));
        assertTrue(negative.getMessage().contains("--check"), negative.getMessage());
        PromptTuneException recipe = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--mix-recipe", "keyword"}));
        assertTrue(recipe.getMessage().contains("'keyword'") && recipe.getMessage().contains("keywords-only"),
                recipe.getMessage());
        PromptTuneException tied = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--mix-tied", "yes"}));
        assertTrue(tied.getMessage().contains("--mix-tied") && tied.getMessage().contains("'yes'")
                && tied.getMessage().contains("true or false"), tied.getMessage());
        PromptTuneException init = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--init-embeddings", "glove"}));
        assertTrue(init.getMessage().contains("'glove'") && init.getMessage().contains("random, ppmi"), init.getMessage());
        PromptTuneException ppmiOnSpan = assertThrows(PromptTuneException.class,
                () -> PretrainOptions.parse(new String[] {"--init-embeddings", "ppmi"}));
        assertTrue(ppmiOnSpan.getMessage().contains("--phases span,lm") && ppmiOnSpan.getMessage().contains("--mix-from-random false"),
                ppmiOnSpan.getMessage());
        PromptTuneException window = assertThrows(PromptTuneException.class, () -> PretrainOptions.parse(new String[] {
            "--phases", "mix", "--mix-from-random", "true", "--init-embeddings", "ppmi", "--ppmi-window", "0"}));
        assertTrue(window.getMessage().contains("--ppmi-window") && window.getMessage().contains("0"), window.getMessage());
    }

    private static List<String> sentences(int count) {
        String[] words = {"the", "monkey", "was", "quite", "old", "and", "both", "its", "legs", "were", "tired", "money"};
        return randomText(words, count, 10, 7, 0);
    }

    /**
     * {@code count} sentences of {@code length} words drawn from {@code words} with {@code seed}, one a line, with an
     * empty line (a document break) after every {@code documentLines} of them (0: one document).
     */
    static List<String> randomText(String[] words, int count, int length, long seed, int documentLines) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < length; w++) {
                s.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            lines.add(s.append('.').toString());
            if (documentLines > 0 && i % documentLines == documentLines - 1) {
                lines.add("");
            }
        }
        return lines;
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
