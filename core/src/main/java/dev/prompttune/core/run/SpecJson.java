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
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a {@code spec.json} (written by {@link PromptTuneSpec#toJson()}) back into a spec, through the builder. */
public final class SpecJson {

    private SpecJson() {}

    public static PromptTuneSpec fromJson(JsonObject o) {
        PromptTuneSpec.Builder b = PromptTuneSpec.builder();
        str(o, "name").ifPresent(b::name);
        str(o, "model").ifPresent(b::model);
        b.length(o.get("length").getAsInt());
        b.init(init(o.getAsJsonObject("init")));
        str(o, "placement").ifPresent(b::placement);
        str(o, "data").ifPresent(b::data);
        str(o, "train").map(Path::of).ifPresent(b::train);
        str(o, "dev").map(Path::of).ifPresent(b::dev);
        str(o, "test").map(Path::of).ifPresent(b::test);
        str(o, "template").ifPresent(b::template);
        if (o.has("labels") && o.get("labels").isJsonObject()) {
            Map<String, String> labels = new LinkedHashMap<>();
            o.getAsJsonObject("labels").entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
            b.labels(labels);
        }
        str(o, "labelField").ifPresent(b::labelField);
        str(o, "optimizer").ifPresent(b::optimizer);
        b.lr(o.get("lr").getAsDouble());
        b.weightDecay(o.get("weightDecay").getAsDouble());
        str(o, "schedule").ifPresent(b::schedule);
        b.batch(o.get("batch").getAsInt());
        b.steps(o.get("steps").getAsInt());
        if (o.get("epochs").getAsInt() > 0) {
            b.epochs(o.get("epochs").getAsInt());
        }
        b.gradientAccumulation(o.get("gradientAccumulation").getAsInt());
        b.evalEvery(o.get("evalEvery").getAsInt());
        b.patience(o.get("patience").getAsInt());
        b.seed(o.get("seed").getAsLong());
        if (o.has("dropout") && !o.get("dropout").isJsonNull()) {
            b.dropout(o.get("dropout").getAsDouble());
        }
        str(o, "device").ifPresent(b::device);
        str(o, "precision").ifPresent(b::precision);
        b.sentinel(o.get("sentinel").getAsBoolean());
        str(o, "metric").ifPresent(b::metric);
        str(o, "evaluation").ifPresent(b::evaluation);
        b.maxInputLength(o.get("maxInputLength").getAsInt());
        b.maxTargetLength(o.get("maxTargetLength").getAsInt());
        b.evalBatch(o.get("evalBatch").getAsInt());
        str(o, "save").map(Path::of).ifPresent(b::save);
        if (o.has("baselines")) {
            b.baselines(o.getAsJsonArray("baselines").asList().stream().map(JsonElement::getAsString).toArray(String[]::new));
        }
        // Absent from records written before the fast dev run existed: those were real runs.
        if (o.has("fastDevRun") && !o.get("fastDevRun").isJsonNull()) {
            b.fastDevRun(o.get("fastDevRun").getAsBoolean());
        }
        // Absent in records written before these settings existed: the defaults are what those runs did.
        if (o.has("calibrate")) {
            b.calibrate(o.get("calibrate").getAsBoolean());
        }
        str(o, "reparam").ifPresent(b::reparam);
        if (o.has("reparamBottleneck")) {
            b.reparamBottleneck(o.get("reparamBottleneck").getAsInt());
        }
        return b.build();
    }

    static PromptInit init(JsonObject o) {
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
