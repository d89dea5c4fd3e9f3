package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose curves or predictions were damaged (a line edited, cut short, not UTF-8; the file gone) still loads:
 * its prompt and summary are the run's result, and the bad lines are skipped with one warning naming the file and
 * the first bad line. Loading failed with a JSON library's words ("MalformedJsonException: Use
 * JsonReader.setStrictness…", "Input length = 1"), naming neither. An unknown stop reason names summary.json.
 */
class DamagedRecordLinesTest {

    @TempDir
    static Path tmp;
    static Session session;
    static PromptTuneRun run;

    @BeforeAll
    static void world() throws IOException {
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        TinyWorld.splits(tmp, 48, 16, 16);
        session = new Session();
        PromptTuneSpec spec = PromptTuneSpec.builder().name("damaged").model(model.toString())
                .train(tmp.resolve("train.jsonl")).dev(tmp.resolve("dev.jsonl")).test(tmp.resolve("test.jsonl"))
                .template("classify: {text}").labels(Map.of("a", "good", "b", "never")).length(4).steps(6).batch(4)
                .evalEvery(2).save(tmp.resolve("runs")).build();
        run = new PromptTuning(session).execute(spec, List.of());
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void damagedMetricsLinesAreSkippedWithOneWarning() throws IOException {
        Path record = copy("metrics-lines");
        Path metrics = record.resolve("metrics.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(metrics));
        int firstStep = firstIndexOf(lines, "\"type\":\"step\"");
        lines.set(firstStep, "garbage{{{");
        lines.set(lines.size() - 1, lines.get(lines.size() - 1).substring(0, 10)); // cut short
        Files.write(metrics, lines);
        Files.write(metrics, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);

        String log = stderrOf(() -> {
            PromptTuneRun loaded = RunRecord.load(record);
            assertEquals(run.losses().size() - 1, loaded.losses().size(), "the damaged step line is skipped");
            assertArrayEquals(run.prompt(), loaded.prompt());
            assertEquals(run.test(), loaded.test(), 0.0);
        });
        assertTrue(log.contains(metrics + ":" + (firstStep + 1) + ": 3 line(s) are not what prompttune writes (edited or "
                + "damaged) and were skipped; the run's curves lack them"), log);
        assertEquals(1, log.lines().count(), log);
    }

    @Test
    void damagedPredictionsAndMissingMetricsStillLoad() throws IOException {
        Path record = copy("predictions");
        Files.writeString(record.resolve("predictions.jsonl"), "{{{\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(record.resolve("metrics.jsonl"));
        String log = stderrOf(() -> {
            PromptTuneRun loaded = RunRecord.load(record);
            assertEquals(run.predictions().size(), loaded.predictions().size());
            assertTrue(loaded.losses().isEmpty());
        });
        assertTrue(log.contains(record.resolve("predictions.jsonl") + ":" + (run.predictions().size() + 1)
                + ": 1 line(s) are not what prompttune writes"), log);
        assertTrue(log.contains(record.resolve("metrics.jsonl") + ": does not exist; the run is loaded without its curves")
                || log.contains(record.resolve("metrics.jsonl") + ": ") && log.contains("the run is loaded without its curves"), log);
    }

    @Test
    void anUnknownStopReasonNamesTheSummary() throws IOException {
        Path record = copy("stop-reason");
        Path summary = record.resolve("summary.json");
        Files.writeString(summary, Files.readString(summary).replaceFirst("\"stop_reason\": *\"[A-Z_]+\"", "\"stop_reason\": \"BOGUS\""));
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.load(record));
        assertTrue(e.getMessage().startsWith(summary + ": stop reason 'BOGUS' is not known; allowed: "), e.getMessage());
    }

    /**
     * A record whose prompt is not the one its run saved (another prompt of the same shape written over it) is refused
     * naming the file and the checksum summary.json records: scored, it gave another number beside the run's own.
     */
    @Test
    void aPromptWrittenOverTheRunsOwnIsRefused() throws IOException {
        Path record = copy("other-prompt");
        var saved = dev.prompttune.core.promptfile.PromptFile.load(record.resolve("prompt.safetensors"));
        float[] other = saved.values().clone();
        other[0] += 0.5f;
        dev.prompttune.core.promptfile.PromptFile.save(record, "prompt", other, saved.length(), saved.width(), saved.metadata());
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.load(record));
        assertTrue(e.getMessage().startsWith(record.resolve("prompt.safetensors") + ": not the prompt this run saved")
                && e.getMessage().contains("summary.json records sha256:"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** A record written before summaries held the checksum loads as before (nothing to compare). */
    @Test
    void aRecordWithoutThePromptChecksumStillLoads() throws IOException {
        Path record = copy("no-checksum");
        Path summary = record.resolve("summary.json");
        String text = Files.readString(summary);
        String without = text.replaceAll("\\s*\"prompt_sha256\":\\s*\"[^\"]*\",?", "");
        assertTrue(!without.equals(text), "no prompt_sha256 in " + text);
        Files.writeString(summary, without);
        assertArrayEquals(run.prompt(), RunRecord.load(record).prompt());
    }

    /** A spec.json whose placement is not the one its prompt was trained with is refused, naming both files. */
    @Test
    void aSpecPlacingThePromptElsewhereIsRefused() throws IOException {
        Path record = copy("placement");
        Path spec = record.resolve("spec.json");
        String text = Files.readString(spec);
        String edited = text.replaceFirst("\"placement\"(\\s*):(\\s*)\"prefix\"", "\"placement\"$1:$2\"suffix\"");
        assertTrue(!edited.equals(text), "no prefix placement in " + text);
        Files.writeString(spec, edited);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> RunRecord.load(record));
        assertTrue(e.getMessage().equals(spec + ": placement is 'suffix' but " + record.resolve("prompt.safetensors")
                + " was trained with placement 'prefix'; allowed: the placement of the record's own prompt ('prefix')"),
                e.getMessage());
    }

    private static int firstIndexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replace(" ", "").contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + fragment + " in " + lines);
    }

    /** A copy of the run's record, to damage. */
    private static Path copy(String name) throws IOException {
        Path to = Files.createDirectories(tmp.resolve("copies").resolve(name));
        try (Stream<Path> files = Files.list(run.record())) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static String stderrOf(Runnable body) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(err);
        }
        return log.toString(StandardCharsets.UTF_8);
    }
}
