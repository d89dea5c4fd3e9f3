package dev.prompttune.tools.pretrain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks that a rebuild reproduces a committed checkpoint's logged losses, without the hour a full rebuild takes:
 * the Pretrainer runs the first N steps of the logged recipe ({@code --check N}) and this class compares its loss
 * windows and held-out losses with the {@code summary} line of the checkpoint's {@code pretrain-log.jsonl}.
 *
 * <p>Why the recipe must match exactly, including the number of steps: a phase of S steps draws S·B examples and
 * the trainer shuffles all of them before the first batch, so even step 1 sees a different batch when S differs.
 * {@link #requireSameRecipe} therefore refuses a check whose options differ from the logged ones.
 *
 * <p>Why a tolerance rather than equality: the first step depends only on the seeded initialisation and the first
 * batch and reproduces to the logged precision; later steps drift with the floating-point differences of the CPU's
 * multi-threaded kernels (summation order), which grow slowly as training amplifies them.
 */
final class RebuildCheck {

    /** One compared value: a training-loss window ending at {@code step}, or a held-out loss at {@code step}. */
    record Row(String kind, int step, double logged, double rebuilt) {

        double relativeDifference() {
            return Math.abs(rebuilt - logged) / Math.max(Math.abs(logged), 1e-12);
        }
    }

    /** The options that decide a phase's numbers (the other logged options belong to the other phase). */
    private static final List<String> SHARED = List.of("seed", "d_model", "d_kv", "num_heads", "d_ff", "encoder_layers",
            "decoder_layers", "train_dropout", "batch", "optimizer", "warmup", "max_grad_norm", "dev_examples");
    private static final List<String> SPAN = List.of("span_steps", "span_chunk", "span_lr");
    private static final List<String> LM = List.of("lm_steps", "lm_chunk", "lm_target", "lm_lr");
    private static final List<String> MIX = List.of("mix_steps", "mix_input", "mix_lr", "init_embeddings", "ppmi_window");

    /** Options added after some logs were written, with the behaviour those logs had (no clipping before it existed). */
    private static final Map<String, String> IMPLIED_WHEN_ABSENT = Map.of("max_grad_norm", "0",
            "init_embeddings", "random", "ppmi_window", "10");

    private RebuildCheck() {}

    /** The {@code summary} line of {@code phase} in a checkpoint log (the last one, if a log holds several). */
    static JsonObject loggedPhase(Path log, String phase) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new PromptTuneException("--check needs the committed log " + log + ": " + PathProblems.describe(log, e), e);
        }
        JsonObject found = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("summary") && phase.equals(o.get("phase").getAsString())) {
                found = o;
            }
        }
        if (found == null) {
            throw new PromptTuneException(log + " has no summary line for phase '" + phase + "'; nothing to check against");
        }
        return found;
    }

    /** Throws, naming every differing option, unless {@code options} are the logged recipe of {@code phase}. */
    static void requireSameRecipe(JsonObject logged, String phase, Map<String, Object> options, Path log) {
        JsonObject was = logged.getAsJsonObject("options");
        List<String> keys = new ArrayList<>(SHARED);
        keys.addAll(switch (phase) {
            case "span" -> SPAN;
            case "mix" -> MIX;
            default -> LM;
        });
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            Object now = options.get(key);
            JsonElement before = was.get(key);
            String beforeText = before != null ? before.getAsString()
                    : IMPLIED_WHEN_ABSENT.getOrDefault(key, "(not logged)");
            if (!sameValue(beforeText, now)) {
                differences.add(key + " " + beforeText + " in the log, " + now + " now");
            }
        }
        if (!differences.isEmpty()) {
            throw new PromptTuneException("--check reproduces the logged recipe of " + log + " and these options differ: "
                    + String.join("; ", differences) + ". Pass the logged values (the data order depends on every one, "
                    + "the number of steps included).");
        }
    }

    private static boolean sameValue(String logged, Object now) {
        if (now instanceof Number n) {
            try {
                return Double.parseDouble(logged) == Double.parseDouble(n.toString());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return logged.equals(String.valueOf(now));
    }

    /** Pairs each rebuilt window and held-out loss with the logged value at the same step (steps ≤ {@code upTo}). */
    static List<Row> compare(JsonObject logged, List<double[]> windows, List<double[]> vals, int upTo) {
        JsonObject summary = logged.getAsJsonObject("summary");
        List<Row> rows = new ArrayList<>();
        rows.addAll(pair("train", summary.getAsJsonArray("windows"), windows, upTo));
        rows.addAll(pair("held-out", summary.getAsJsonArray("valLosses"), vals, upTo));
        return rows;
    }

    private static List<Row> pair(String kind, JsonArray logged, List<double[]> rebuilt, int upTo) {
        List<Row> rows = new ArrayList<>();
        for (double[] r : rebuilt) {
            int step = (int) r[0];
            if (step > upTo) {
                continue;
            }
            for (JsonElement e : logged) {
                JsonArray pairAt = e.getAsJsonArray();
                if ((int) pairAt.get(0).getAsDouble() == step) {
                    rows.add(new Row(kind, step, pairAt.get(1).getAsDouble(), r[1]));
                }
            }
        }
        return rows;
    }

    /** A plain-text table: kind, step, logged, rebuilt, relative difference. */
    static String table(String phase, List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-5s %-8s %6s %10s %10s %9s%n", "phase", "loss", "step",
                "logged", "rebuilt", "rel.diff"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-5s %-8s %6d %10.4f %10.4f %8.3f%%%n", phase, r.kind(), r.step(), r.logged(),
                    r.rebuilt(), 100 * r.relativeDifference()));
        }
        return s.toString();
    }

    /** The largest relative difference (0 for no rows). */
    static double worst(List<Row> rows) {
        double worst = 0;
        for (Row r : rows) {
            worst = Math.max(worst, r.relativeDifference());
        }
        return worst;
    }
}
