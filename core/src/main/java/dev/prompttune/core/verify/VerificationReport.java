package dev.prompttune.core.verify;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a verification found: per-tensor errors and per-case exact matches (generations, ids). */
public final class VerificationReport {

    private final String subject;
    private final Map<String, Comparison> tensors = new LinkedHashMap<>();
    private final Map<String, Boolean> exact = new LinkedHashMap<>();

    public VerificationReport(String subject) {
        this.subject = subject;
    }

    public void add(Comparison c) {
        tensors.put(c.name(), c);
    }

    public void addExact(String name, boolean equal) {
        exact.put(name, equal);
    }

    public Map<String, Comparison> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, Boolean> exact() {
        return Collections.unmodifiableMap(exact);
    }

    /** Names of every failed tensor or exact check. */
    public List<String> failures() {
        List<String> failed = new ArrayList<>();
        tensors.values().stream().filter(c -> !c.passed()).forEach(c -> failed.add(c.name()));
        exact.forEach((k, v) -> {
            if (!v) {
                failed.add(k);
            }
        });
        return failed;
    }

    public boolean passed() {
        return failures().isEmpty() && (!tensors.isEmpty() || !exact.isEmpty());
    }

    /** One JSON object: {@code {"dir":…, "ok":…, "max_abs_error":{…}, "equal":{…}, "failures":[…]}}. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("dir", subject);
        json.addProperty("ok", passed());
        JsonObject errors = new JsonObject();
        tensors.values().forEach(c -> errors.addProperty(c.name(), c.maxAbsError()));
        json.add("max_abs_error", errors);
        JsonObject equal = new JsonObject();
        exact.forEach(equal::addProperty);
        json.add("equal", equal);
        com.google.gson.JsonArray failed = new com.google.gson.JsonArray();
        failures().forEach(failed::add);
        json.add("failures", failed);
        return json;
    }
}
