package dev.prompttune.core.promptfile;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a saved prompt needs to be reused and trusted: the model it belongs to ({@code baseModel} and the
 * {@link EmbeddingFingerprint}), its shape [length, width], how it was made (init, placement, task, template,
 * verbalizer, optimizer with free-form hyper-parameters, seed, data fingerprints), how good it was (best dev
 * metric, value, step), and with what (library versions, ISO-8601 timestamp). Any field may be null/empty
 * except length and width. Build with {@link #builder()}.
 *
 * <p>JSON form (snake_case keys): see {@link #toJson()}.
 */
public record PromptMetadata(String baseModel, String embeddingFingerprint, int width, int length,
                             Map<String, Object> init, String placement, String task, String template,
                             Map<String, Object> verbalizer, String optimizer, Map<String, Object> hyperParameters,
                             Long seed, Map<String, String> dataFingerprints, String bestMetric, Double bestValue,
                             Long bestStep, Map<String, String> versions, String timestamp) {

    /** The {@code format} value in every prompt JSON. */
    public static final String FORMAT = "prompttune-prompt/1";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    private static final Type OBJECT_MAP = new TypeToken<Map<String, Object>>() {}.getType();
    private static final Type STRING_MAP = new TypeToken<Map<String, String>>() {}.getType();

    public PromptMetadata {
        init = copy(init);
        verbalizer = copy(verbalizer);
        hyperParameters = copy(hyperParameters);
        dataFingerprints = copy(dataFingerprints);
        versions = copy(versions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values (to change a few). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseModel = baseModel;
        b.embeddingFingerprint = embeddingFingerprint;
        b.width = width;
        b.length = length;
        b.init.putAll(init);
        b.placement = placement;
        b.task = task;
        b.template = template;
        b.verbalizer.putAll(verbalizer);
        b.optimizer = optimizer;
        b.hyperParameters.putAll(hyperParameters);
        b.seed = seed;
        b.dataFingerprints.putAll(dataFingerprints);
        b.bestMetric = bestMetric;
        b.bestValue = bestValue;
        b.bestStep = bestStep;
        b.versions.putAll(versions);
        b.timestamp = timestamp;
        return b;
    }

    /** Pretty JSON: {@code {"format", "base_model", "embedding_fingerprint", "width", "length", "init", …}}. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("base_model", baseModel);
        o.addProperty("embedding_fingerprint", embeddingFingerprint);
        o.addProperty("width", width);
        o.addProperty("length", length);
        o.add("init", GSON.toJsonTree(init));
        o.addProperty("placement", placement);
        o.addProperty("task", task);
        o.addProperty("template", template);
        o.add("verbalizer", GSON.toJsonTree(verbalizer));
        o.addProperty("optimizer", optimizer);
        o.add("hyper_parameters", GSON.toJsonTree(hyperParameters));
        o.addProperty("seed", seed);
        o.add("data_fingerprints", GSON.toJsonTree(dataFingerprints));
        JsonObject best = new JsonObject();
        best.addProperty("metric", bestMetric);
        best.addProperty("value", bestValue);
        best.addProperty("step", bestStep);
        o.add("best", best);
        o.add("versions", GSON.toJsonTree(versions));
        o.addProperty("timestamp", timestamp);
        return GSON.toJson(o) + "\n";
    }

    /**
     * Parses {@link #toJson()}'s form.
     *
     * @param source the file it came from, for messages
     */
    public static PromptMetadata fromJson(String json, String source) {
        JsonObject o = JsonFiles.parseObject(json, source);
        if (present(o, "format") && !FORMAT.equals(string(o, "format"))) {
            // Another layout (a later prompttune's) read as this one would give wrong values without a word.
            throw new PromptTuneException(source + ": prompt metadata format is " + JsonFiles.describe(o.get("format"))
                    + "; allowed: \"" + FORMAT + "\"");
        }
        try {
            Builder b = builder();
            b.baseModel = string(o, "base_model");
            b.embeddingFingerprint = string(o, "embedding_fingerprint");
            b.width = count(o, "width", source);
            b.length = count(o, "length", source);
            b.init.putAll(map(o, "init", OBJECT_MAP));
            b.placement = string(o, "placement");
            b.task = string(o, "task");
            b.template = string(o, "template");
            b.verbalizer.putAll(map(o, "verbalizer", OBJECT_MAP));
            b.optimizer = string(o, "optimizer");
            b.hyperParameters.putAll(map(o, "hyper_parameters", OBJECT_MAP));
            b.seed = present(o, "seed") ? o.get("seed").getAsLong() : null;
            b.dataFingerprints.putAll(map(o, "data_fingerprints", STRING_MAP));
            if (present(o, "best")) {
                JsonObject best = o.getAsJsonObject("best");
                b.bestMetric = string(best, "metric");
                b.bestValue = present(best, "value") ? best.get("value").getAsDouble() : null;
                b.bestStep = present(best, "step") ? best.get("step").getAsLong() : null;
            }
            b.versions.putAll(map(o, "versions", STRING_MAP));
            b.timestamp = string(o, "timestamp");
            return b.build();
        } catch (RuntimeException e) {
            if (e instanceof PromptTuneException p) {
                throw p;
            }
            throw new PromptTuneException(source + ": bad prompt metadata (" + e.getMessage() + ")", e);
        }
    }

    /** A width or length: absent is 0 (unknown); else a whole number from 1, or an error naming the field. */
    private static int count(JsonObject o, String key, String source) {
        if (!present(o, key)) {
            return 0;
        }
        Long v = JsonFiles.wholeNumber(o.get(key));
        if (v == null || v < 1 || v > Integer.MAX_VALUE) {
            throw new PromptTuneException(source + ": prompt metadata " + key + " is " + JsonFiles.describe(o.get(key))
                    + "; allowed: a whole number from 1");
        }
        return v.intValue();
    }

    private static boolean present(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    private static String string(JsonObject o, String key) {
        return present(o, key) ? o.get(key).getAsString() : null;
    }

    private static <V> Map<String, V> map(JsonObject o, String key, Type type) {
        if (!present(o, key)) {
            return Map.of();
        }
        JsonElement e = o.get(key);
        Map<String, V> m = GSON.fromJson(e, type);
        return m == null ? Map.of() : m;
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Mutable builder; {@link PromptFile#save} stamps the timestamp (now, UTC, seconds) when none was set. */
    public static final class Builder {
        private String baseModel;
        private String embeddingFingerprint;
        private int width;
        private int length;
        private final Map<String, Object> init = new LinkedHashMap<>();
        private String placement;
        private String task;
        private String template;
        private final Map<String, Object> verbalizer = new LinkedHashMap<>();
        private String optimizer;
        private final Map<String, Object> hyperParameters = new LinkedHashMap<>();
        private Long seed;
        private final Map<String, String> dataFingerprints = new LinkedHashMap<>();
        private String bestMetric;
        private Double bestValue;
        private Long bestStep;
        private final Map<String, String> versions = new LinkedHashMap<>();
        private String timestamp;

        private Builder() {}

        public Builder baseModel(String v) {
            baseModel = v;
            return this;
        }

        public Builder embeddingFingerprint(String v) {
            embeddingFingerprint = v;
            return this;
        }

        /** Shape [length, width]; {@link PromptFile#save} fills it in from the values when left 0. */
        public Builder shape(int length, int width) {
            this.length = length;
            this.width = width;
            return this;
        }

        public Builder init(Map<String, Object> v) {
            init.putAll(v);
            return this;
        }

        public Builder placement(String v) {
            placement = v;
            return this;
        }

        public Builder task(String v) {
            task = v;
            return this;
        }

        public Builder template(String v) {
            template = v;
            return this;
        }

        public Builder verbalizer(Map<String, Object> v) {
            verbalizer.putAll(v);
            return this;
        }

        public Builder optimizer(String v) {
            optimizer = v;
            return this;
        }

        /** Free-form: learning rate, steps, batch size, anything the run was configured with. */
        public Builder hyperParameters(Map<String, Object> v) {
            hyperParameters.putAll(v);
            return this;
        }

        public Builder hyperParameter(String key, Object value) {
            hyperParameters.put(key, value);
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        /** Split name → fingerprint of its data (e.g. a SHA-256 of the file). */
        public Builder dataFingerprints(Map<String, String> v) {
            dataFingerprints.putAll(v);
            return this;
        }

        public Builder best(String metric, Double value, Long step) {
            bestMetric = metric;
            bestValue = value;
            bestStep = step;
            return this;
        }

        /** Library name → version; see {@link LibraryVersions#current()}. */
        public Builder versions(Map<String, String> v) {
            versions.putAll(v);
            return this;
        }

        /** Sets the timestamp to now (UTC, whole seconds). */
        public Builder timestampNow() {
            timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            return this;
        }

        /** ISO-8601, e.g. {@code 2025-01-31T12:00:00Z}. */
        public Builder timestamp(String v) {
            timestamp = v;
            return this;
        }

        public PromptMetadata build() {
            return new PromptMetadata(baseModel, embeddingFingerprint, width, length, init, placement, task, template,
                    verbalizer, optimizer, hyperParameters, seed, dataFingerprints, bestMetric, bestValue, bestStep,
                    versions, timestamp);
        }
    }
}
