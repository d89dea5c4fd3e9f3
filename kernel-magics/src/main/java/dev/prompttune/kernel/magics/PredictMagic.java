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
 * text of a one-slot template, the template's fields as {@code field="value"} pairs
 * ({@code %predict spam subject="Cheap meds" body="Click here"}), or a JSON object of them.
 */
final class PredictMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("predict").required("name").rest("input", 1);

    private PredictMagic() {
    }

    static Object run(List<String> args) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        PromptTuneRun run = NotebookRuns.get().find(SIGNATURE, a.get("name"));
        List<String> input = a.rest();
        Prediction p;
        if (input.size() == 1 && input.get(0).strip().startsWith("{")) {
            p = NotebookRuns.get().experiments().predict(run, fields(input.get(0)));
        } else if (input.stream().allMatch(PredictMagic::isField)) {
            p = NotebookRuns.get().experiments().predict(run, pairs(input));
        } else if (input.size() == 1) {
            p = NotebookRuns.get().experiments().predict(run, input.get(0));
        } else {
            boolean singleQuoted = input.get(0).startsWith("'");
            throw SIGNATURE.error("give one quoted text, or field=\"value\" pairs for the template's fields; got "
                    + input.size() + " words (" + (singleQuoted ? "quote a text with double quotes: \"…\"; single quotes "
                    + "do not group words" : "quote a text with spaces") + ")");
        }
        return ResultViews.prediction(p);
    }

    /** {@code field=value} arguments as a map in their order; a field given twice is an error, not a silent last win. */
    static Map<String, Object> pairs(List<String> input) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : input) {
            int eq = f.indexOf('=');
            String field = f.substring(0, eq);
            if (fields.put(field, f.substring(eq + 1)) != null) {
                throw SIGNATURE.error("field '" + field + "' is given twice; give each template field once");
            }
        }
        return fields;
    }

    private static boolean isField(String arg) {
        int eq = arg.indexOf('=');
        return eq > 0 && arg.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
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
