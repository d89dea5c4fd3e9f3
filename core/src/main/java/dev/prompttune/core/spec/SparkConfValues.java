package dev.prompttune.core.spec;

import dev.prompttune.core.PromptTuneException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of common Spark settings, checked as Spark parses them, without Spark: a size ({@code 16g}), a whole
 * number, a fraction, a flag or a duration. Spark reads them only when its context starts, which comes after the
 * runs before it in the script have trained ({@code conf 'spark.executor.memory', 'lots'} failed there); checked
 * here, {@code run --check} refuses them at their line. Settings not listed are left to Spark.
 *
 * <p>The parsers are Spark 4's ({@code JavaUtils.byteStringAs}, {@code timeStringAs}, and Scala's {@code toInt},
 * {@code toDouble}, {@code toBoolean} on the trimmed text), measured against spark-common-utils 4.0.1: {@code 16G} and
 * {@code 512} (MiB) are sizes, {@code 1.5g}, {@code 10 g} and {@code -1} are not.
 */
final class SparkConfValues {

    /** Sizes: bytes with an optional unit (b, k, kb, m, mb, g, gb, t, tb, p, pb); the default unit is Spark's. */
    private static final Set<String> SIZES = Set.of("spark.executor.memory", "spark.driver.memory",
            "spark.executor.memoryOverhead", "spark.driver.memoryOverhead", "spark.driver.maxResultSize",
            "spark.memory.offHeap.size", "spark.executor.pyspark.memory", "spark.broadcast.blockSize",
            "spark.kryoserializer.buffer", "spark.kryoserializer.buffer.max", "spark.reducer.maxSizeInFlight",
            "spark.shuffle.file.buffer", "spark.files.maxPartitionBytes");

    private static final Set<String> WHOLE_NUMBERS = Set.of("spark.executor.cores", "spark.driver.cores",
            "spark.task.cpus", "spark.task.maxFailures", "spark.default.parallelism", "spark.cores.max",
            "spark.executor.instances", "spark.port.maxRetries", "spark.driver.port", "spark.blockManager.port",
            "spark.rpc.message.maxSize");

    private static final Set<String> FRACTIONS = Set.of("spark.memory.fraction", "spark.memory.storageFraction",
            "spark.executor.memoryOverheadFactor", "spark.driver.memoryOverheadFactor");

    private static final Set<String> FLAGS = Set.of("spark.ui.enabled", "spark.eventLog.enabled",
            "spark.dynamicAllocation.enabled", "spark.speculation", "spark.shuffle.service.enabled");

    private static final Set<String> DURATIONS = Set.of("spark.network.timeout", "spark.executor.heartbeatInterval",
            "spark.locality.wait");

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([a-z]+)?");
    private static final Set<String> SIZE_UNITS = Set.of("b", "k", "kb", "m", "mb", "g", "gb", "t", "tb", "p", "pb");
    private static final Pattern DURATION = Pattern.compile("(-?[0-9]+)([a-z]+)?");
    private static final Set<String> DURATION_UNITS = Set.of("us", "ms", "s", "m", "min", "h", "d");

    /** What each kind allows, for messages. */
    private static final Map<String, String> ALLOWED = Map.of(
            "size", "a whole number with an optional unit b, k, m, g, t or p (e.g. 16g, 512m; no fraction, no space)",
            "whole number", "a whole number (e.g. 4)",
            "number", "a number (e.g. 0.6)",
            "flag", "true or false",
            "duration", "a whole number with an optional unit us, ms, s, m, min, h or d (e.g. 120s)");

    private SparkConfValues() {}

    /** Fails, naming the setting, the value and what Spark reads there, when Spark would refuse {@code value}. */
    static void check(String key, String value) {
        String kind = SIZES.contains(key) ? "size" : WHOLE_NUMBERS.contains(key) ? "whole number"
                : FRACTIONS.contains(key) ? "number" : FLAGS.contains(key) ? "flag"
                : DURATIONS.contains(key) ? "duration" : null;
        if (kind == null || readable(kind, value.trim())) {
            return;
        }
        throw new PromptTuneException("cluster conf '" + key + "' is '" + value + "', which Spark cannot read as a "
                + kind + "; allowed: " + ALLOWED.get(kind));
    }

    private static boolean readable(String kind, String v) {
        try {
            return switch (kind) {
                case "size" -> withUnit(SIZE.matcher(v.toLowerCase(Locale.ROOT)), SIZE_UNITS);
                case "duration" -> withUnit(DURATION.matcher(v.toLowerCase(Locale.ROOT)), DURATION_UNITS);
                case "whole number" -> {
                    Integer.parseInt(v);
                    yield true;
                }
                case "number" -> {
                    Double.parseDouble(v);
                    yield true;
                }
                default -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
            };
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the text is digits Spark can hold (a long) and an optional known unit. */
    private static boolean withUnit(Matcher m, Set<String> units) {
        if (!m.matches()) {
            return false;
        }
        Long.parseLong(m.group(1));
        return m.group(2) == null || units.contains(m.group(2));
    }
}
