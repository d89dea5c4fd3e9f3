package dev.prompttune.core.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a run record's {@code summary.json} and checks each field's type before anything uses it, so a damaged
 * summary fails with {@code FILE: field "test" is the string "abc"; allowed: a number}, naming the file and field.
 */
public final class SummaryJson {

    private static final String[] TEXT = {"id", "metric", "stop_reason"};
    private static final String[] OPTIONAL_TEXT = {"name", "model", "init", "reparam", "failure"};
    private static final String[] WHOLE = {"best_step", "steps", "peak_rss_mib", "params_trainable", "params_total"};
    private static final String[] OPTIONAL_WHOLE = {"length"};
    /** Metrics: null (or NaN) where there was nothing to measure. */
    private static final String[] METRIC = {"dev", "test", "dev_uncalibrated", "test_uncalibrated", "trainable_percent"};
    private static final String[] METRIC_MAPS = {"baselines", "baselines_uncalibrated", "content_free_prior"};
    private static final String[] FLAGS = {"calibrated", "fast_dev_run"};

    private SummaryJson() {}

    /** The summary's JSON object, each field checked; a one-line error naming the file and field otherwise. */
    public static JsonObject read(Path file) {
        JsonObject o = JsonFiles.readObject(file);
        for (String f : TEXT) {
            text(file, o, f, true);
        }
        for (String f : OPTIONAL_TEXT) {
            text(file, o, f, false);
        }
        for (String f : WHOLE) {
            whole(file, o, f, true);
        }
        for (String f : OPTIONAL_WHOLE) {
            whole(file, o, f, false);
        }
        for (String f : METRIC) {
            if (present(o, f)) {
                metric(file, f, o.get(f));
            }
        }
        if (!(o.get("seconds") instanceof JsonPrimitive s && number(s))) {
            throw bad(file, "seconds", o.get("seconds"), "a number");
        }
        for (String f : METRIC_MAPS) {
            if (!present(o, f)) {
                continue;
            }
            if (!o.get(f).isJsonObject()) {
                throw bad(file, f, o.get(f), "an object of numbers");
            }
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject(f).entrySet()) {
                metric(file, f + "." + e.getKey(), e.getValue());
            }
        }
        for (String f : FLAGS) {
            if (present(o, f) && !(o.get(f) instanceof JsonPrimitive b && b.isBoolean())) {
                throw bad(file, f, o.get(f), "true or false");
            }
        }
        return o;
    }

    /**
     * The error for {@code dir} when it has no {@code summary.json}, saying what it is: missing, a file, an unfinished
     * run's record (spec.json but no summary: killed or still running), or a folder that is no run record.
     */
    public static PromptTuneException notComplete(Path dir) {
        String problem = PathProblems.notDirectory(dir);
        if (problem != null) {
            return new PromptTuneException(PathProblems.sentence("run record " + dir, problem, "a run record folder"));
        }
        if (Files.isRegularFile(dir.resolve("spec.json")) && RecordWriterLock.writtenNow(dir)) {
            return new PromptTuneException(dir + " is the record of a run that is still going: it has no summary.json "
                    + "yet; allowed: a finished run's record (wait for the run to end)");
        }
        if (Files.isRegularFile(dir.resolve("spec.json"))) {
            return new PromptTuneException(dir + " is the record of a run that did not finish: it has no summary.json"
                    + (RunCheckpoint.exists(dir) ? "; continue it with `prompttune resume " + dir + "`"
                            : "; allowed: a finished run's record"));
        }
        return new PromptTuneException(dir + " is not a run record: it has no summary.json; allowed: a folder under runs/ "
                + "that a run wrote");
    }

    private static void text(Path file, JsonObject o, String field, boolean required) {
        JsonElement v = o.get(field);
        if ((v == null || v.isJsonNull()) && !required) {
            return;
        }
        if (!(v instanceof JsonPrimitive p && p.isString())) {
            throw bad(file, field, v, "a string");
        }
    }

    private static void whole(Path file, JsonObject o, String field, boolean required) {
        JsonElement v = o.get(field);
        if ((v == null || v.isJsonNull()) && !required) {
            return;
        }
        if (JsonFiles.wholeNumber(v) == null) {
            throw bad(file, field, v, "a whole number");
        }
    }

    /** A number, null, or NaN/Infinity (how a run writes an undefined metric). */
    private static void metric(Path file, String field, JsonElement v) {
        if (v.isJsonNull() || v instanceof JsonPrimitive p && number(p)) {
            return;
        }
        throw bad(file, field, v, "a number or null");
    }

    private static boolean number(JsonPrimitive p) {
        if (p.isNumber()) {
            return true;
        }
        return p.isString() && (p.getAsString().equals("NaN") || p.getAsString().equals("Infinity")
                || p.getAsString().equals("-Infinity"));
    }

    private static boolean present(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull();
    }

    private static PromptTuneException bad(Path file, String field, JsonElement v, String allowed) {
        String is = v == null ? "is missing" : "is " + JsonFiles.describe(v);
        return new PromptTuneException(file + ": field \"" + field + "\" " + is + "; allowed: " + allowed);
    }
}
