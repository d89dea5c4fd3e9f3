package dev.prompttune.kernel.magics;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.dsl.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code %predict name "text"}: the label a run's prompt gives one input, with each label's score. The input is the
 * text of a one-slot template, or a JSON object of the template's fields
 * ({@code %predict spam '{"subject": "…", "body": "…"}'}).
 */
final class PredictMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("predict").required("name").required("text");

    private PredictMagic() {
    }

    static Object run(List<String> args) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        PromptTuneRun run = NotebookRuns.get().find(SIGNATURE, a.get("name"));
        String text = a.get("text");
        Prediction p;
        if (text.strip().startsWith("{")) {
            p = NotebookRuns.get().experiments().predict(run, fields(text));
        } else {
            p = NotebookRuns.get().experiments().predict(run, text);
        }
        return ResultViews.prediction(p);
    }

    private static Map<String, Object> fields(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw SIGNATURE.error("TEXT starts with '{' but is not a JSON object of template fields: " + e.getMessage());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        o.entrySet().forEach(e -> fields.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString()
                : e.getValue().toString()));
        return fields;
    }
}
