package dev.prompttune.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every benchmark mode runs on a tiny shape and prints one JSON line with the documented keys (not a timing test). */
class BenchmarkTest {

    private static final List<String> KEYS = List.of("mode", "median_s", "min_s", "max_s", "steps", "peak_rss_mib",
            "threads", "shape", "params_trainable", "params_total");

    @Test
    void everyModePrintsOneLineWithTheRequiredKeys() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<JsonObject> results;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            results = new Benchmark(BenchShape.tiny(), 1, 0, out).run(List.of());
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(Benchmark.modes(), List.of("forward", "infer", "infer_prompt", "infer_mixed8", "prompt_backward",
                "classes5_backward", "classes5_backward_repeated", "prompt", "full"));
        assertEquals(Benchmark.modes().size(), lines.size(), String.join("\n", lines));
        BenchShape tiny = BenchShape.tiny();
        long prompt = (long) tiny.promptLength() * tiny.dModel();
        for (int i = 0; i < lines.size(); i++) {
            JsonObject r = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals(results.get(i).toString(), lines.get(i));
            String mode = Benchmark.modes().get(i);
            assertEquals(mode, r.get("mode").getAsString());
            for (String key : KEYS) {
                assertTrue(r.has(key), mode + " lacks " + key + ": " + r);
            }
            assertEquals(1, r.get("steps").getAsInt());
            assertTrue(r.get("min_s").getAsDouble() <= r.get("median_s").getAsDouble());
            assertTrue(r.get("median_s").getAsDouble() <= r.get("max_s").getAsDouble());
            long total = r.get("params_total").getAsLong();
            long trainable = r.get("params_trainable").getAsLong();
            assertTrue(total > 0);
            long expected = switch (mode) {
                case "prompt", "prompt_backward", "classes5_backward", "classes5_backward_repeated" -> prompt;
                case "full" -> total;
                default -> 0;
            };
            assertEquals(expected, trainable, mode);
            assertEquals(tiny.dModel(), r.getAsJsonObject("shape").get("d_model").getAsInt());
        }
    }

    @Test
    void unknownModeIsRejected() {
        Benchmark bench = new Benchmark(BenchShape.tiny(), 1, 0, System.out);
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> bench.run(List.of("nope")));
        assertTrue(e.getMessage().contains("infer_mixed8"), e.getMessage());
    }
}
