package dev.prompttune.core.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.RandomInit;
import dev.prompttune.core.prompt.TextInit;
import dev.prompttune.core.prompt.VocabInit;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Path;

/** Reads a {@code spec.json} (written by {@link PromptTuneSpec#toJson()}) back into a spec, through the builder. */
public final class SpecJson {

    private SpecJson() {}

    public static PromptTuneSpec fromJson(JsonObject o) {
        return PromptTuneSpec.fromJson(o, SpecJson::init);
    }

    /** An initialiser from its {@link PromptInit#describe()} JSON (a spec.json's or a prompt file's {@code init}). */
    public static PromptInit init(JsonObject o) {
        String kind = o.get("kind").getAsString();
        return switch (kind) {
            case "random" -> new RandomInit(o.get("low").getAsFloat(), o.get("high").getAsFloat());
            case "vocab" -> new VocabInit(o.get("top_k").getAsInt());
            case "labels" -> PromptInit.labels();
            case "text" -> new TextInit(o.get("text").getAsString());
            case "file" -> new FileInit(Path.of(o.get("path").getAsString()), o.has("anyModel") && o.get("anyModel").getAsBoolean());
            default -> PromptInit.parse(kind);
        };
    }

    private static java.util.Optional<String> str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? java.util.Optional.empty() : java.util.Optional.of(e.getAsString());
    }
}
