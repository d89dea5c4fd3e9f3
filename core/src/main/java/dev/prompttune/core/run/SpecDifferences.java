package dev.prompttune.core.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The settings in which two specs differ, by their {@code spec.json} keys (a resumed run must be the recorded one). */
final class SpecDifferences {

    private SpecDifferences() {}

    /** "lr (record 0.3, given 0.1)" for each differing setting, in the spec's field order. */
    static List<String> of(PromptTuneSpec recorded, PromptTuneSpec given) {
        return of(recorded.toJson(), given.toJson(), "record", "given");
    }

    /** "lr (A 0.3, B 0.1)" for each differing setting of two settings objects, A and B naming them. */
    static List<String> of(JsonObject r, JsonObject g, String a, String b) {
        Set<String> keys = new LinkedHashSet<>(r.keySet());
        keys.addAll(g.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            JsonElement x = r.has(key) ? r.get(key) : JsonNull.INSTANCE;
            JsonElement y = g.has(key) ? g.get(key) : JsonNull.INSTANCE;
            if (!x.equals(y)) {
                out.add(key + " (" + a + " " + x + ", " + b + " " + y + ")");
            }
        }
        return out;
    }

    /** Throws when {@code given} differs from the spec recorded in {@code specFile}, naming every difference. */
    static void require(Path specFile, PromptTuneSpec recorded, PromptTuneSpec given) {
        List<String> differences = of(recorded, given);
        if (!differences.isEmpty()) {
            throw new PromptTuneException(specFile + ": resuming needs the recorded spec, but the given one differs in "
                    + String.join(", ", differences) + "; allowed: the record's own settings (or no spec: resume runs "
                    + "spec.json)");
        }
    }
}
