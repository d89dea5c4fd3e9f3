package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.run.SpecJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The fast-dev-run switch: how it is read, what it caps, and that the capped spec says so in its JSON. */
class FastDevRunTest {

    static PromptTuneSpec.Builder spec() {
        return PromptTuneSpec.builder().train(Path.of("train.jsonl")).steps(300).evalEvery(100);
    }

    /** Runs {@code body} with the switch's system property set to {@code value} (null: cleared), then restores it. */
    static <T> T withProperty(String value, Supplier<T> body) {
        String before = System.getProperty(FastDevRun.PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(FastDevRun.PROPERTY);
            } else {
                System.setProperty(FastDevRun.PROPERTY, value);
            }
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(FastDevRun.PROPERTY);
            } else {
                System.setProperty(FastDevRun.PROPERTY, before);
            }
        }
    }

    @Test
    void switchValues() {
        for (String on : List.of("1", "true", "TRUE", " 1 ")) {
            assertTrue(FastDevRun.parse("X", on), on);
        }
        for (String off : new String[] {null, "", "0", "false", "False"}) {
            assertFalse(FastDevRun.parse("X", off), String.valueOf(off));
        }
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> FastDevRun.parse(FastDevRun.ENV, "yes"));
        assertEquals("PROMPTTUNE_FAST_DEV_RUN is 'yes'; allowed: 1 or true (fast dev run), 0, false or unset (real runs)",
                e.getMessage());
    }

    @Test
    void offLeavesTheSpecAlone() {
        PromptTuneSpec s = spec().build();
        if (!FastDevRun.parse(FastDevRun.ENV, System.getenv(FastDevRun.ENV))) { // a developer's shell may have it on
            assertSame(s, withProperty(null, () -> FastDevRun.apply(s)));
        }
        assertSame(s, withProperty("0", () -> FastDevRun.apply(s)));
        assertFalse(s.fastDevRun());
    }

    @Test
    void onCapsStepsAndEvaluationAndMarksTheSpec() {
        PromptTuneSpec capped = withProperty("1", () -> FastDevRun.apply(spec().build()));
        assertTrue(capped.fastDevRun());
        assertEquals(FastDevRun.MAX_STEPS, capped.steps());
        assertEquals(FastDevRun.MAX_EVAL_EVERY, capped.evalEvery());
        assertEquals(FastDevRun.MAX_BATCH, capped.batch(), "the spec's batch of 32 is capped");
        assertEquals(true, capped.toJson().get("fastDevRun").getAsBoolean());

        PromptTuneSpec epochs = withProperty("true", () -> FastDevRun.apply(spec().epochs(3).build()));
        assertEquals(0, epochs.epochs(), "epochs become a step count");
        assertEquals(FastDevRun.MAX_STEPS, epochs.steps());

        PromptTuneSpec small = withProperty("1", () -> FastDevRun.apply(spec().steps(1).evalEvery(0).batch(2).build()));
        assertEquals(2, small.batch(), "a smaller batch than the cap is kept");
        assertEquals(1, small.steps(), "fewer steps than the cap are kept");
        assertEquals(0, small.evalEvery(), "evaluating only at the end is kept");
    }

    @Test
    void aFastDevRunSpecStaysCappedWhateverTheSwitchSays() {
        PromptTuneSpec marked = spec().steps(300).fastDevRun(true).build();
        PromptTuneSpec capped = withProperty("0", () -> FastDevRun.apply(marked));
        assertTrue(capped.fastDevRun());
        assertEquals(FastDevRun.MAX_STEPS, capped.steps());
        assertEquals(capped, withProperty("0", () -> FastDevRun.apply(capped)), "idempotent");
    }

    @Test
    void specJsonRoundTripsTheMarkAndOldRecordsAreRealRuns() {
        PromptTuneSpec marked = spec().fastDevRun(true).build();
        assertTrue(SpecJson.fromJson(marked.toJson()).fastDevRun());
        var old = spec().build().toJson();
        old.remove("fastDevRun");
        assertFalse(SpecJson.fromJson(old).fastDevRun());
    }

    @Test
    void evaluationSplitsAreCutEvenlySoSortedFilesKeepTheirClasses() {
        List<Example> sorted = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            sorted.add(Example.of("e" + i, Map.of("text", "x" + i, "label", i < 200 ? "a" : "b")));
        }
        Split cut = FastDevRun.capEvaluation(new Split("test", "test.jsonl", sorted));
        assertEquals(FastDevRun.MAX_EVAL_EXAMPLES, cut.size());
        assertEquals("test", cut.name());
        assertEquals("x0", cut.get(0).get("text"));
        assertEquals("x350", cut.get(7).get("text"), "example floor(7 * 400 / 8)");
        assertEquals(4, cut.examples().stream().filter(e -> e.get("label").equals("a")).count());
        assertTrue(cut.source().contains("fast dev run: 8 of 400"), cut.source());

        Split small = new Split("dev", "dev.jsonl", sorted.subList(0, 8));
        assertSame(small, FastDevRun.capEvaluation(small));
    }
}
