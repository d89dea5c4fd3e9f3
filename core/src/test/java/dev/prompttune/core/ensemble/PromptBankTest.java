package dev.prompttune.core.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.RankClassifier;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptLayout;
import dev.prompttune.core.prompt.SoftPrompt;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.text.T5Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch mixing three tasks equals each task run alone: on t5-mini with real task data (prompts of lengths 5, 10,
 * 20; scores within 1e-5 absolute), and on the random fixture model with targets of 2–5 tokens (prompts of lengths
 * 3, 5, 8; scores near −50, so within {@link PromptEnsembleTest#tolerance}); generations token for token in both.
 */
class PromptBankTest {

    private static final Map<String, long[][]> TASK_CLASSES = Map.of(
            "a", new long[][] {{5, 1}, {6, 1}},
            "b", new long[][] {{9, 10, 1}, {11, 1}, {12, 13, 14, 1}},
            "c", new long[][] {{20, 21, 22, 23, 1}, {24, 1}});
    private static final Map<String, Integer> LENGTHS = Map.of("a", 3, "b", 5, "c", 8);
    private static final String[] ORDER = {"a", "b", "c"};

    /** Real tasks on t5-mini: label scores of realistic size. brown-genre's targets carry the sentinel (3 tokens). */
    private static final String[] MINI_TASKS = {"spam", "brown-genre", "fortune-topic"};
    private static final int[] MINI_LENGTHS = {5, 10, 20};
    private static final int MINI_EXAMPLES = 8;
    private static final int MINI_NEW_TOKENS = 12;

    @Test
    void mixedBatchScoresAndGenerationsEqualPerTaskRuns() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root)) {
            int h = model.config().dModel;
            for (Placement placement : new Placement[] {Placement.PREFIX, Placement.AFTER_FIRST, Placement.SUFFIX}) {
                PromptBank bank = new PromptBank(model, placement);
                List<SoftPrompt> prompts = new ArrayList<>();
                for (int t = 0; t < ORDER.length; t++) {
                    SoftPrompt p = PromptEnsembleTest.prompt(LENGTHS.get(ORDER[t]), h, 100 + t, root);
                    prompts.add(p);
                    bank.put(ORDER[t], p);
                }
                long[][] inputs = PromptEnsembleTest.inputs(10, 5);
                // Mixed order: row i belongs to task ORDER[(i * 7) % 3] — tasks interleaved, not grouped.
                List<PromptBank.Row> rows = new ArrayList<>();
                List<PromptBank.Input> genRows = new ArrayList<>();
                for (int i = 0; i < inputs.length; i++) {
                    String task = ORDER[(i * 7 + i / 4) % 3];
                    rows.add(new PromptBank.Row(task, inputs[i], TASK_CLASSES.get(task)));
                    genRows.add(new PromptBank.Input(task, inputs[i]));
                }
                float[][] mixed = bank.score(rows);
                long[][] generated = bank.generate(genRows, 6);
                double maxErr = 0;
                double maxRel = 0;
                for (int t = 0; t < ORDER.length; t++) {
                    String task = ORDER[t];
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        if (rows.get(i).prompt().equals(task)) {
                            mine.add(i);
                        }
                    }
                    long[][] taskInputs = mine.stream().map(i -> inputs[i]).toArray(long[][]::new);
                    float[][] alone = RankClassifier.score(model, EncoderInput.prompted(prompts.get(t), placement),
                            taskInputs, TASK_CLASSES.get(task), 16, root);
                    long[][] aloneGen = generateAlone(model, prompts.get(t), placement, taskInputs, root);
                    for (int j = 0; j < mine.size(); j++) {
                        int row = mine.get(j);
                        assertEquals(TASK_CLASSES.get(task).length, mixed[row].length);
                        for (int c = 0; c < mixed[row].length; c++) {
                            maxErr = Math.max(maxErr, Math.abs(mixed[row][c] - alone[j][c]));
                            maxRel = Math.max(maxRel, Math.abs(mixed[row][c] - alone[j][c]) / Math.abs(alone[j][c]));
                            assertEquals(alone[j][c], mixed[row][c], PromptEnsembleTest.tolerance(alone[j][c]),
                                    placement + " row " + row + " class " + c);
                        }
                        assertArrayEquals(trim(aloneGen[j], model), generated[row], placement + " generation of row " + row);
                    }
                }
                System.out.printf("prompt bank (%s): max |score err| vs per-task %.3g, max relative %.3g%n", placement,
                        maxErr, maxRel);
                prompts.forEach(SoftPrompt::close);
            }
        }
    }

    /**
     * The property as stated: a batch mixing three tasks whose prompts have different lengths (5, 10, 20),
     * rows interleaved, gives every row the scores its task gets when run alone within 1e-5 absolute, and the same
     * greedy generation token for token; for each placement. A control scores the same rows under the wrong
     * prompts and must move far beyond the tolerance, so the comparison can fail.
     */
    @Test
    void mixedTaskBatchOnT5MiniEqualsPerTaskRunsWithin1e5() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(MiniTasks.modelDir(), root);
             T5Tokenizer tokenizer = MiniTasks.tokenizer()) {
            List<MiniTasks.Task> tasks = new ArrayList<>();
            List<SoftPrompt> prompts = new ArrayList<>();
            for (int t = 0; t < MINI_TASKS.length; t++) {
                tasks.add(MiniTasks.task(MINI_TASKS[t], MINI_EXAMPLES, 48, t == 1, tokenizer));
                prompts.add(MiniTasks.vocabPrompt(model, MINI_LENGTHS[t], 100 + t, root));
            }
            // Row i belongs to task taskOf[i], its example exampleOf[i]: tasks interleaved, not grouped.
            int rowCount = MINI_EXAMPLES * tasks.size();
            int[] taskOf = new int[rowCount];
            int[] exampleOf = new int[rowCount];
            int[] used = new int[tasks.size()];
            for (int i = 0; i < rowCount; i++) {
                int t = (i * 7 + i / 4) % 3;
                if (used[t] == MINI_EXAMPLES) {
                    t = used[(t + 1) % 3] < MINI_EXAMPLES ? (t + 1) % 3 : (t + 2) % 3;
                }
                taskOf[i] = t;
                exampleOf[i] = used[t]++;
            }
            for (Placement placement : new Placement[] {Placement.PREFIX, Placement.AFTER_FIRST, Placement.SUFFIX}) {
                PromptBank bank = new PromptBank(model, placement);
                for (int t = 0; t < tasks.size(); t++) {
                    bank.put(MINI_TASKS[t], prompts.get(t));
                }
                List<PromptBank.Row> rows = new ArrayList<>();
                List<PromptBank.Row> wrongRows = new ArrayList<>();
                List<PromptBank.Input> genRows = new ArrayList<>();
                List<PromptBank.Input> wrongGenRows = new ArrayList<>();
                for (int i = 0; i < rowCount; i++) {
                    MiniTasks.Task task = tasks.get(taskOf[i]);
                    long[] input = task.inputs()[exampleOf[i]];
                    rows.add(new PromptBank.Row(MINI_TASKS[taskOf[i]], input, task.classTargets()));
                    wrongRows.add(new PromptBank.Row(MINI_TASKS[(taskOf[i] + 1) % 3], input, task.classTargets()));
                    genRows.add(new PromptBank.Input(MINI_TASKS[taskOf[i]], input));
                    wrongGenRows.add(new PromptBank.Input(MINI_TASKS[(taskOf[i] + 1) % 3], input));
                }
                float[][] mixed = bank.score(rows);
                float[][] wrong = bank.score(wrongRows);
                long[][] generated = bank.generate(genRows, MINI_NEW_TOKENS);
                long[][] wrongGenerated = bank.generate(wrongGenRows, MINI_NEW_TOKENS);
                double maxErr = 0;
                double wrongErr = 0;
                double minScore = 0;
                int differentGenerations = 0;
                for (int t = 0; t < tasks.size(); t++) {
                    MiniTasks.Task task = tasks.get(t);
                    float[][] alone = RankClassifier.score(model, EncoderInput.prompted(prompts.get(t), placement),
                            task.inputs(), task.classTargets(), 16, root);
                    long[][] aloneGen = generateAlone(model, prompts.get(t), placement, task.inputs(), MINI_NEW_TOKENS, root);
                    for (int row = 0; row < rowCount; row++) {
                        if (taskOf[row] != t) {
                            continue;
                        }
                        int e = exampleOf[row];
                        assertEquals(task.classTargets().length, mixed[row].length);
                        for (int c = 0; c < mixed[row].length; c++) {
                            maxErr = Math.max(maxErr, Math.abs(mixed[row][c] - alone[e][c]));
                            wrongErr = Math.max(wrongErr, Math.abs(wrong[row][c] - alone[e][c]));
                            minScore = Math.min(minScore, alone[e][c]);
                            assertEquals(alone[e][c], mixed[row][c], 1e-5,
                                    placement + " row " + row + " (" + task.name() + " example " + e + ") class " + c);
                        }
                        long[] expected = trim(aloneGen[e], model);
                        assertArrayEquals(expected, generated[row], placement + " generation of row " + row);
                        if (!Arrays.equals(expected, wrongGenerated[row])) {
                            differentGenerations++;
                        }
                    }
                }
                System.out.printf("prompt bank on t5-mini (%s): max |score err| vs per-task %.3g (scores down to %.3g); "
                        + "rows under a wrong prompt: scores differ by up to %.3g, %d of %d generations differ%n",
                        placement, maxErr, minScore, wrongErr, differentGenerations, rowCount);
                assertTrue(minScore < -1, "scores of realistic size, not all near 0: lowest " + minScore);
                assertTrue(wrongErr > 1e-2, "a row scored under another task's prompt must differ: " + wrongErr);
                assertTrue(differentGenerations >= rowCount / 4, "only " + differentGenerations + " of " + rowCount
                        + " generations change under a wrong prompt: the comparison would hardly see a mix-up");
            }
            prompts.forEach(SoftPrompt::close);
        }
    }

    @Test
    void unknownPromptsAndWrongWidthsAreRefused() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root);
             SoftPrompt narrow = PromptEnsembleTest.prompt(2, 8, 1, root);
             SoftPrompt ok = PromptEnsembleTest.prompt(2, model.config().dModel, 1, root)) {
            PromptBank bank = new PromptBank(model, Placement.PREFIX);
            String m = assertThrows(PromptTuneException.class, () -> bank.put("n", narrow)).getMessage();
            assertTrue(m.contains("'n'") && m.contains("32"), m);
            bank.put("ok", ok);
            m = assertThrows(PromptTuneException.class,
                    () -> bank.score(List.of(new PromptBank.Row("missing", new long[] {5, 1}, new long[][] {{1}})))).getMessage();
            assertTrue(m.contains("'missing'") && m.contains("[ok]"), m);
        }
    }

    private static long[][] generateAlone(T5Model model, SoftPrompt prompt, Placement placement, long[][] inputs,
                                          NDManager root) {
        return generateAlone(model, prompt, placement, inputs, 6, root);
    }

    private static long[][] generateAlone(T5Model model, SoftPrompt prompt, Placement placement, long[][] inputs,
                                          int maxNewTokens, NDManager root) {
        try (NDManager m = root.newSubManager()) {
            int length = Arrays.stream(inputs).mapToInt(r -> r.length).max().orElse(1);
            long[] ids = new long[inputs.length * length];
            long[] mask = new long[ids.length];
            for (int i = 0; i < inputs.length; i++) {
                for (int t = 0; t < inputs[i].length; t++) {
                    ids[i * length + t] = inputs[i][t];
                    mask[i * length + t] = 1;
                }
            }
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(inputs.length, length);
            PromptLayout.Combined c = PromptLayout.combine(model.embed(m.create(ids, shape)), m.create(mask, shape),
                    prompt.value(), placement);
            return model.generate(c.embeddings(), c.mask(), maxNewTokens);
        }
    }

    /** Up to and including the first eos after the start token. */
    private static long[] trim(long[] row, T5Model model) {
        for (int t = 1; t < row.length; t++) {
            if (row[t] == model.config().eosTokenId) {
                return Arrays.copyOf(row, t + 1);
            }
        }
        return row;
    }

    /**
     * Token ids and arrays handed in directly are checked in words: an id outside the vocabulary was PyTorch's "index
     * out of range in self", a row without classes a division by zero inside attention, a NaN prompt scored NaN, a
     * negative generation length an index error, Integer.MAX_VALUE examples per batch an OutOfMemoryError.
     */
    @Test
    void badIdsRowsAndPromptsAreNamed() {
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.load(Fixtures.dir("tiny-t5-v1_1"), root)) {
            int h = model.config().dModel;
            int vocab = model.config().vocabSize;
            PromptBank bank = new PromptBank(model, Placement.PREFIX).put("a", PromptEnsembleTest.prompt(3, h, 1, root));
            long[][] classes = TASK_CLASSES.get("a");
            Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
            calls.put("prompt bank: row 0's input has token id " + vocab + " at position 1; allowed: 0 to " + (vocab - 1),
                    () -> bank.score(List.of(new PromptBank.Row("a", new long[] {5, vocab, 1}, classes))));
            calls.put("prompt bank: row 1's input has token id -3 at position 0",
                    () -> bank.generate(List.of(new PromptBank.Input("a", new long[] {5, 1}), new PromptBank.Input("a", new long[] {-3, 1})), 4));
            calls.put("prompt bank: row 0 has no classes", () -> bank.score(List.of(new PromptBank.Row("a", new long[] {5, 1}, new long[0][]))));
            calls.put("prompt bank: row 0 class 1 has token id " + (vocab + 7),
                    () -> bank.score(List.of(new PromptBank.Row("a", new long[] {5, 1}, new long[][] {{5, 1}, {vocab + 7, 1}}))));
            calls.put("prompt bank: maxNewTokens is -1; allowed: 1 to 4096", () -> bank.generate(List.of(), -1));
            calls.put("prompt bank: maxNewTokens is 0", () -> bank.generate(List.of(new PromptBank.Input("a", new long[] {5, 1})), 0));
            calls.put("prompt bank: prompt 'nan' holds NaN at row 0; allowed: finite values", () -> bank.put("nan",
                    root.create(new float[] {Float.NaN}).repeat(h).reshape(1, h)));
            calls.put("prompt bank: row 0 is null", () -> bank.score(Arrays.asList((PromptBank.Row) null)));
            calls.put("prompt bank: the placement is null", () -> new PromptBank(model, null));
            calls.put("ensemble: input 0 has token id " + vocab, () -> PromptEnsemble.score(model,
                    List.of(PromptEnsembleTest.prompt(3, h, 1, root).value()), Placement.PREFIX, new long[][] {{vocab, 1}},
                    classes, 4, root));
            calls.put("ensemble: no member scores", () -> PromptEnsemble.summarize(new float[0][][], new int[0], PromptEnsemble.Vote.MAJORITY));
            calls.put("ensemble: gold labels number 3; allowed: one gold class per example (2)", () -> PromptEnsemble.summarize(
                    new float[][][] {{{0f, 1f}, {1f, 0f}}}, new int[3], PromptEnsemble.Vote.MAJORITY));
            calls.forEach((message, call) -> {
                PromptTuneException e = assertThrows(PromptTuneException.class, call, message);
                assertTrue(e.getMessage().startsWith(message), e.getMessage());
            });
            float[][][] huge = PromptEnsemble.score(model, List.of(PromptEnsembleTest.prompt(3, h, 1, root).value()),
                    Placement.PREFIX, PromptEnsembleTest.inputs(3, 5), classes, Integer.MAX_VALUE, root);
            assertEquals(3, huge[0].length, "a batch larger than the inputs is the inputs");
        }
    }
}
