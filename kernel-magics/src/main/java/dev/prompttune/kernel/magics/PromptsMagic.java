package dev.prompttune.kernel.magics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunRecord;
import dev.prompttune.kernel.RichOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code %prompts [--dir DIR]}: this notebook's runs (by name), the prompt files saved in this session, and the run
 * records on disk under {@code DIR} (default {@code runs}, where runs save their records) that are not loaded.
 */
final class PromptsMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("prompts")
            .option("dir", "DIR", "run records directory (default: runs)");

    private static final List<String> HEADER = List.of("name", "source", "model", "task", "init", "length", "dev", "test",
            "steps", "where");

    private PromptsMagic() {
    }

    static Object run(List<String> args) {
        MagicSignature.Args a = SIGNATURE.parse(args);
        Path dir = Path.of(a.get("dir") == null ? "runs" : a.get("dir"));
        if (a.get("dir") != null && PathProblems.notDirectory(dir) != null) {
            // The default folder may not exist yet (no run saved); one asked for by name must.
            throw new MagicError("%prompts: --dir " + dir + " " + PathProblems.notDirectory(dir) + "; allowed: a folder of run records");
        }
        List<List<String>> rows = new ArrayList<>();
        Set<Path> shown = new HashSet<>();
        for (Map.Entry<String, PromptTuneRun> e : NotebookRuns.get().runs().entrySet()) {
            PromptTuneRun r = e.getValue();
            rows.add(List.of(e.getKey(), "notebook", r.spec().model(), String.valueOf(r.spec().taskName()), r.spec().init().kind(),
                    String.valueOf(r.length()), ResultViews.fmt(r.dev()), ResultViews.fmt(r.test()), String.valueOf(r.steps()),
                    r.record() == null ? "-" : r.record().toString()));
            if (r.record() != null) {
                shown.add(r.record().toAbsolutePath().normalize());
            }
        }
        for (Path p : NotebookRuns.get().savedPrompts()) {
            rows.add(List.of(p.getFileName().toString().replaceFirst("\\.safetensors$", ""), "saved prompt", "", "", "", "", "", "",
                    "", p.toString()));
        }
        List<Path> records = records(dir);
        for (Path record : records) {
            if (shown.contains(record.toAbsolutePath().normalize())) {
                continue;
            }
            rows.add(diskRow(record));
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-24s %-12s %-12s %-14s %-7s %6s %8s %8s %6s  %s%n", HEADER.toArray()));
        for (List<String> r : rows) {
            text.append(String.format(Locale.ROOT, "%-24s %-12s %-12s %-14s %-7s %6s %8s %8s %6s  %s%n", r.toArray()));
        }
        String note = null;
        if (rows.isEmpty()) {
            note = "(no runs yet: train one with %%promptTune NAME; no records under " + dir + ")";
        } else if (a.get("dir") != null && records.isEmpty()) {
            // The notebook's own runs are listed whatever the folder; without this line `--dir /etc` looked as if it
            // had been read and the runs shown came from it.
            note = "(--dir " + dir + " holds no run records (folders with a summary.json); the rows above are this "
                    + "notebook's)";
        }
        if (note != null) {
            text.append(note).append('\n');
        }
        String html = Html.table(HEADER, rows) + (note == null ? "" : "<p>" + Html.escape(note) + "</p>");
        return RichOutput.of(text.toString()).html(html);
    }

    private static List<Path> records(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("summary.json"))).sorted().toList();
        } catch (IOException e) {
            throw new MagicError("%prompts: cannot list " + dir + ": " + PathProblems.describe(dir, e));
        }
    }

    private static List<String> diskRow(Path record) {
        try {
            JsonObject s = JsonParser.parseString(Files.readString(record.resolve("summary.json"))).getAsJsonObject();
            JsonObject spec = Files.isRegularFile(record.resolve("spec.json"))
                    ? JsonParser.parseString(Files.readString(record.resolve("spec.json"))).getAsJsonObject() : new JsonObject();
            return List.of(str(s, "name"), "disk", str(spec, "model"), taskName(record, spec), initKind(spec), str(spec, "length"),
                    num(s, "dev"), num(s, "test"), str(s, "steps"), record.toString());
        } catch (IOException | RuntimeException e) {
            return List.of(record.getFileName().toString(), "disk (unreadable)", "", "", "", "", "", "", "", record.toString());
        }
    }

    /** The record's task as its spec names it ({@code PromptTuneSpec.taskName()}); its data setting if unreadable. */
    private static String taskName(Path record, JsonObject spec) {
        try {
            String name = RunRecord.spec(record).taskName();
            return name == null ? "" : name;
        } catch (RuntimeException e) {
            return str(spec, "data");
        }
    }

    private static String initKind(JsonObject spec) {
        JsonElement init = spec.get("init");
        if (init != null && init.isJsonObject() && init.getAsJsonObject().has("kind")) {
            return init.getAsJsonObject().get("kind").getAsString();
        }
        return init == null || init.isJsonNull() ? "" : init.isJsonPrimitive() ? init.getAsString() : init.toString();
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static String num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        try {
            return e == null || e.isJsonNull() ? "-" : ResultViews.fmt(e.getAsDouble());
        } catch (RuntimeException ex) {
            return e.getAsString();
        }
    }
}
