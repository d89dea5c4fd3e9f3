package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.cli.CliTest.Result;
import dev.prompttune.core.model.T5CheckpointWriter;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose loss is not finite at its very first step trained nothing: the command exits 1 with one line, prints
 * no result table, and the record's summary says FAILED and why.
 */
class FailedRunTest {

    @TempDir
    Path tmp;

    @Test
    void aRunThatIsNeverFiniteFailsWithoutATable() throws Exception {
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path broken = nanModel(tmp.resolve("nan-tiny"));
        Path runs = tmp.resolve("runs");
        Path script = Files.writeString(tmp.resolve("nan.groovy"), "promptTune {\n  model '" + broken + "'; data 'markers'\n"
                + "  init 'random'; length 4; steps 5; batch 8; evalEvery 0\n  save '" + runs + "'\n}\n");

        Result r = CliTest.cli(home, "run", "-q", script.toString());

        assertEquals(1, r.status(), r.out() + r.err());
        java.util.List<String> ours = CliTest.withoutEngineLog(r.err());
        assertEquals(1, ours.size(), r.err());
        assertTrue(ours.get(0).startsWith(script + ":1: run markers-random-4 failed: loss became NaN at step 1"), r.err());
        assertFalse(r.out().contains("prompt tuning:") || r.out().contains("baseline:"), "no result table: " + r.out());
        Path record;
        try (Stream<Path> s = Files.list(runs)) {
            record = s.findFirst().orElseThrow();
        }
        String text = Files.readString(record.resolve("summary.json"));
        JsonObject summary = JsonParser.parseString(text).getAsJsonObject();
        assertEquals("FAILED", summary.get("stop_reason").getAsString());
        assertFalse(text.matches("(?s).*[:,\\[]\\s*-?(NaN|Infinity).*"),
                "JSON has no NaN (strict parsers refuse it); a score that does not exist is null: " + text);
        assertTrue(summary.get("dev").isJsonNull() && summary.get("test").isJsonNull(), text);
        assertTrue(summary.get("failure").getAsString().contains("before any step with a finite loss"), summary.toString());
        assertTrue(r.err().contains(record.toString()), "the message says where the record is: " + r.err());

        // Re-scoring it gives NaN scores: refused, not an accuracy made of argmax over NaN (it printed 1.0000).
        Result eval = CliTest.cli(home, "eval", record.toString());
        assertEquals(2, eval.status(), eval.out() + eval.err());
        java.util.List<String> lines = CliTest.withoutEngineLog(eval.err());
        assertEquals(1, lines.size(), eval.err());
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote("prompttune: " + record + ": the scores are not "
                + "finite (NaN) for ") + "(\\d+) of \\1 examples, so they predict nothing; allowed: a prompt and model "
                + "with finite scores \\(a FAILED run's prompt or a damaged model gives NaN\\)"), lines.get(0));
    }

    /**
     * A sweep stops at a failed point, and its line says what the sweep leaves: the points finished (records kept)
     * and those not run. It said only that the point failed.
     */
    @Test
    void aSweepStoppedByAFailedPointSaysWhatItLeaves() throws Exception {
        Path home = dev.prompttune.dsl.TestHomes.tiny();
        Path broken = nanModel(tmp.resolve("nan-tiny"));
        Path runs = tmp.resolve("sweep-runs");
        Path script = Files.writeString(tmp.resolve("sweep.groovy"), "sweep {\n  model 'tiny', '" + broken + "'\n"
                + "  data 'markers'; init 'random'; length 4; steps 3; batch 8; evalEvery 0; seed 1, 2\n  save '" + runs
                + "'\n}\n");
        Result r = CliTest.cli(home, "run", "-q", script.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        java.util.List<String> ours = CliTest.withoutEngineLog(r.err());
        assertEquals(1, ours.size(), r.err());
        assertTrue(ours.get(0).matches(".*; the sweep stopped there: 2 point\\(s\\) finished \\(\\S+, \\S+, their records "
                + "kept\\), 1 not run \\(\\S+\\)"), ours.get(0));
    }

    /** The tiny model with every input embedding NaN: the first forward pass already gives a NaN loss. */
    private static Path nanModel(Path dir) throws Exception {
        Path tiny = TinyWorld.model(dir.resolveSibling("tiny-source"));
        T5Config config = T5Config.load(tiny);
        try (NDManager m = NDManager.newBaseManager(); T5Model model = T5Model.random(config, m, 1)) {
            model.embeddingTable().muli(Float.NaN);
            T5CheckpointWriter.save(model, dir, "F32");
        }
        Files.copy(tiny.resolve("spiece.model"), dir.resolve("spiece.model"));
        return dir;
    }
}
