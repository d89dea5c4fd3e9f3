package dev.prompttune.core.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.promptfile.AtomicText;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.core.train.TrainerState;
import dev.prompttune.core.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's record on disk, {@code runs/<id>/}: {@code spec.json} (every default resolved), {@code metrics.jsonl}
 * (one line per step and per evaluation, written as training goes), {@code prompt.safetensors} + {@code prompt.json}
 * (the best prompt with its metadata), {@code predictions.jsonl} (test predictions) and {@code summary.json}; while
 * the run can go on, {@code checkpoint.safetensors} ({@link RunCheckpoint}: written at each evaluation, kept by an
 * interrupted or failed run, removed when it ends otherwise).
 * As a listener it appends the metrics; {@link #finish} writes the rest; {@link #load} reads a record back.
 */
public final class RunRecord implements TrainingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecord.class);

    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    /**
     * summary.json is read by other programs (notebooks, Python, jq), and JSON has no NaN: a value that does not
     * exist (no dev score before the first evaluation, no test score of a failed run) is written as null. Without
     * {@code serializeSpecialFloatingPointValues}, a NaN that slipped through would fail the write, not the reader.
     */
    private static final Gson SUMMARY_GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final String id;
    private final BufferedWriter metrics;
    /** Held from before the record changes until {@link #close}: one writer per record. */
    private final RecordWriterLock writer;

    /** Opens the metrics of a record whose {@code writer} lock is held; releases it when that fails. */
    private RunRecord(Path dir, boolean append, RecordWriterLock writer) throws IOException {
        this.dir = dir;
        this.id = dir.getFileName().toString();
        this.writer = writer;
        try {
            // A FileOutputStream, not Files.newBufferedWriter: that one writes through an interruptible channel, which
            // an interrupt (a notebook's stop button) would close mid-run, losing the rest of the metrics.
            this.metrics = new BufferedWriter(new java.io.OutputStreamWriter(
                    new java.io.FileOutputStream(dir.resolve("metrics.jsonl").toFile(), append), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            writer.release();
            throw e;
        }
    }

    /**
     * Creates {@code saveDir/<name>-<timestamp>[-n]/} and writes spec.json. Temp files that a killed process left in
     * the other records of {@code saveDir} are removed first.
     */
    public static RunRecord create(Path saveDir, PromptTuneSpec spec) {
        try {
            Files.createDirectories(saveDir);
            removeStaleTemps(saveDir);
            String base = spec.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + LocalDateTime.now().format(STAMP);
            Path dir = saveDir.resolve(base);
            // createDirectory is the check: another run of this name started in the same second (another thread,
            // another process sharing saveDir) may take a name between an exists() test and the mkdir.
            for (int n = 2; ; n++) {
                try {
                    Files.createDirectory(dir);
                    break;
                } catch (FileAlreadyExistsException taken) {
                    dir = saveDir.resolve(base + "-" + n);
                }
            }
            AtomicText.write(dir.resolve("spec.json"), GSON.toJson(spec.toJson()));
            return new RunRecord(dir, false, RecordWriterLock.take(dir));
        } catch (IOException e) {
            throw new PromptTuneException("cannot create a run record under " + saveDir + ": " + PathProblems.describe(saveDir, e), e);
        }
    }

    /**
     * Reopens the record of a run resumed from {@code state}, its checkpoint: it is incomplete again (its summary,
     * prompt and predictions go, rewritten when the run finishes), and its metrics keep the step and evaluation lines up to the checkpoint's step
     * ({@link ResumedMetrics}: a killed run may have logged steps past it, and an interrupted or failed one its ending;
     * a damaged line before it is rebuilt from the checkpoint), the resumed run's lines follow.
     */
    public static RunRecord resume(Path dir, TrainerState state) {
        RecordWriterLock writer = RecordWriterLock.take(dir); // before anything in the record changes
        try {
            AtomicFiles.removeStaleTemps(dir);
            // The stopped run's results go with its summary: a resume killed before it ends must not leave them to be
            // read as the record's prompt (the checkpoint holds that prompt, and the finished run writes them again).
            for (String result : List.of("summary.json", "prompt.safetensors", "prompt.json", "predictions.jsonl")) {
                Files.deleteIfExists(dir.resolve(result));
            }
            Path metrics = dir.resolve("metrics.jsonl");
            // A line that is not UTF-8 is damaged like any other, and rebuilt from the checkpoint.
            ResumedMetrics.Kept kept = ResumedMetrics.of(Files.exists(metrics) ? leniently(metrics) : List.of(),
                    state, metrics.toString());
            if (kept.warning() != null) {
                LOG.warn(kept.warning());
            }
            AtomicText.write(metrics, kept.text());
            return new RunRecord(dir, true, writer);
        } catch (IOException e) {
            writer.release(); // again, where the constructor released it: harmless
            throw new PromptTuneException("cannot reopen run record " + dir + ": " + PathProblems.describe(dir, e), e);
        } catch (RuntimeException e) {
            writer.release();
            throw e;
        }
    }

    /**
     * Refuses a record whose data files, named in its {@code spec.json}, are not there: relative to the folder its run
     * started in and not found from this one, or gone. "data file train.jsonl does not exist" named neither the
     * record nor that folder.
     */
    static void requireDataFound(Path dir, PromptTuneSpec spec) {
        for (Path file : Arrays.asList(spec.train(), spec.dev(), spec.test())) {
            if (file != null && !file.isAbsolute() && !Files.exists(file)) {
                throw new PromptTuneException(dir.resolve("spec.json") + " names data file " + file + " relative to the "
                        + "folder its run was started in, and it is not found from " + Path.of("").toAbsolutePath()
                        + "; allowed: running the command from the folder the run started in");
            }
            if (file != null && !Files.exists(file)) {
                // It said only "data file X does not exist", as if the command line had named it.
                throw new PromptTuneException(dir.resolve("spec.json") + " names data file " + file + ", which does not "
                        + "exist (moved or deleted since the run); allowed: the run's data back at that path");
            }
        }
    }

    /** The spec a record's {@code spec.json} holds; a clear error when the folder is no run record. */
    public static PromptTuneSpec spec(Path dir) {
        Path file = dir.resolve("spec.json");
        String notFolder = PathProblems.notDirectory(dir);
        if (notFolder != null) {
            // `resume nope`: the folder itself is missing (or a file), not a folder without spec.json
            throw new PromptTuneException("run record " + dir + " " + notFolder + "; allowed: a folder under runs/ that a run wrote");
        }
        if (!Files.isRegularFile(file)) {
            throw new PromptTuneException(dir + " is not a run record: it has no spec.json; allowed: a folder under runs/ "
                    + "that a run wrote");
        }
        JsonObject json = JsonFiles.readObject(file);
        try {
            return SpecJson.fromJson(json);
        } catch (RuntimeException e) {
            if (e instanceof PromptTuneException p) {
                throw new PromptTuneException(file + ": " + p.getMessage(), p);
            }
            throw new PromptTuneException(file + ": cannot read the spec: " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String id() {
        return id;
    }

    @Override
    public void onStep(StepEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "step");
        o.addProperty("step", e.step());
        o.addProperty("loss", e.loss());
        o.addProperty("lr", e.learningRate());
        o.addProperty("examples_per_s", e.examplesPerSecond());
        o.addProperty("seconds", e.elapsedSeconds());
        line(o);
    }

    @Override
    public void onEval(EvalEvent e) {
        line(evalLine(e));
    }

    /** An evaluation as its metrics.jsonl line (also rebuilt from a checkpoint: {@link ResumedMetrics}). */
    static JsonObject evalLine(EvalEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "eval");
        o.addProperty("step", e.step());
        o.addProperty("metric", e.metric());
        o.addProperty("value", e.value());
        o.addProperty("best", e.bestValue());
        o.addProperty("best_step", e.bestStep());
        return o;
    }

    @Override
    public void onFailed(FailedEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "failed");
        o.addProperty("step", e.step());
        o.addProperty("message", e.message());
        line(o);
    }

    private void line(JsonObject o) {
        try {
            metrics.write(GSON.toJson(o));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw notWritten("metrics.jsonl", e);
        }
    }

    private RecordNotWritten notWritten(String file, IOException e) {
        Path p = dir.resolve(file);
        return RecordNotWritten.of(dir, p + ": cannot write: " + PathProblems.describe(p, e), e);
    }

    /** Closes the metrics and writes the prompt (with metadata), predictions and summary. */
    public void finish(PromptTuneRun run, dev.prompttune.core.promptfile.PromptMetadata metadata) {
        finish(run, metadata, null);
    }

    /**
     * {@link #finish(PromptTuneRun, dev.prompttune.core.promptfile.PromptMetadata)}; {@code failure} (null: none) is
     * recorded in the summary (a FAILED or DIVERGED run says why). The summary is written last: a record with a
     * summary is complete.
     */
    public void finish(PromptTuneRun run, dev.prompttune.core.promptfile.PromptMetadata metadata, String failure) {
        try {
            closeMetrics(); // the writer's lock stays until the record is whole
            finishFiles(run, metadata, failure);
        } finally {
            writer.release();
        }
    }

    private void finishFiles(PromptTuneRun run, dev.prompttune.core.promptfile.PromptMetadata metadata, String failure) {
        try {
            PromptFile.save(dir, "prompt", run.prompt(), run.length(), run.width(), metadata);
            StringBuilder predictions = new StringBuilder();
            for (PromptTuneRun.Prediction p : run.predictions()) {
                predictions.append(GSON.toJson(p)).append('\n');
            }
            AtomicText.write(dir.resolve("predictions.jsonl"), predictions.toString());
            JsonObject summary = summary(run);
            if (failure != null) {
                summary.addProperty("failure", failure);
            }
            AtomicText.write(dir.resolve("summary.json"), SUMMARY_GSON.toJson(withNulls(summary)));
        } catch (RecordNotWritten e) {
            throw e;
        } catch (PromptTuneException e) { // the file writers' own one-line errors: a full disk, a read-only folder
            throw RecordNotWritten.of(dir, e.getMessage(), e);
        }
        if (!run.stopReason().resumable()) {
            RunCheckpoint.remove(dir); // a run that ended where it cannot go on keeps no checkpoint
        }
    }

    static JsonObject summary(PromptTuneRun run) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", run.id());
        s.put("name", run.name());
        s.put("model", run.spec().model());
        s.put("init", run.spec().init().kind());
        s.put("length", run.length());
        s.put("metric", run.metric());
        s.put("dev", run.dev());
        s.put("best_step", run.bestStep());
        s.put("test", run.test());
        s.put("baselines", run.baselines());
        s.put("steps", run.steps());
        s.put("seconds", run.seconds());
        s.put("peak_rss_mib", run.peakRssMib());
        s.put("params_trainable", run.paramsTrainable());
        s.put("params_total", run.paramsTotal());
        s.put("trainable_percent", run.trainablePercent());
        s.put("stop_reason", run.stopReason().key());
        s.put(PROMPT_DIGEST, EmbeddingFingerprint.of(run.prompt()));
        s.put("fast_dev_run", run.spec().fastDevRun());
        s.put("environment", RunEnvironment.current());
        if (!run.spec().reparam().equals("none")) {
            s.put("reparam", run.spec().reparam());
        }
        PromptTuneRun.Uncalibrated u = run.uncalibrated();
        if (u != null) {
            // calibrate true: dev, test and baselines above are calibrated; these are the same without calibration.
            s.put("calibrated", true);
            s.put("dev_uncalibrated", u.dev());
            s.put("test_uncalibrated", u.test());
            s.put("baselines_uncalibrated", u.baselines());
            s.put("content_free_prior", u.contentFreePrior());
        }
        return GSON.toJsonTree(s).getAsJsonObject();
    }

    /** {@code e} with every NaN or infinite number, at any depth, replaced by null. */
    static JsonElement withNulls(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && !Double.isFinite(e.getAsDouble())) {
            return JsonNull.INSTANCE;
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            e.getAsJsonObject().entrySet().forEach(m -> out.add(m.getKey(), withNulls(m.getValue())));
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(withNulls(x)));
            return out;
        }
        return e;
    }

    @Override
    public void close() {
        try {
            closeMetrics();
        } finally {
            writer.release();
        }
    }

    private void closeMetrics() {
        try {
            metrics.close();
        } catch (IOException e) {
            throw notWritten("metrics.jsonl", e);
        }
    }

    /**
     * Deletes temp files that killed processes left in the records under {@code saveDir} (never a record's own
     * files: only hidden {@code .*.tmp} files whose writer no longer runs, see {@link AtomicFiles}).
     */
    static void removeStaleTemps(Path saveDir) throws IOException {
        try (DirectoryStream<Path> records = Files.newDirectoryStream(saveDir, Files::isDirectory)) {
            for (Path record : records) {
                AtomicFiles.removeStaleTemps(record);
            }
        }
    }

    /** Reads a record back into a run object (spec, prompt, results, curves, predictions). */
    public static PromptTuneRun load(Path dir) {
        if (dir == null) {
            throw new PromptTuneException("the run record folder is null; allowed: a run record folder (runs/NAME-TIMESTAMP)");
        }
        if (Files.isDirectory(dir)) {
            AtomicFiles.removeStaleTemps(dir);
        }
        Path summaryFile = dir.resolve("summary.json");
        if (!Files.isRegularFile(summaryFile)) {
            throw SummaryJson.notComplete(dir);
        }
        try {
            JsonObject summary = SummaryJson.read(summaryFile);
            PromptTuneSpec spec = spec(dir);
            PromptFile.Loaded prompt = PromptFile.load(dir.resolve("prompt.safetensors"));
            if (prompt.length() != spec.length()) {
                // A run writes both: the record was edited, or its files come from two runs.
                throw new PromptTuneException(dir.resolve("spec.json") + ": length is " + spec.length() + " but "
                        + dir.resolve("prompt.safetensors") + " holds " + prompt.length() + " prompt vectors; allowed: "
                        + "the length of the record's own prompt (" + prompt.length() + ")");
            }
            requireOwnPrompt(dir, summary, spec, prompt);
            List<Double> losses = new ArrayList<>();
            List<EvalEvent> evals = new ArrayList<>();
            // The curves and predictions describe the run; the prompt and summary are its result. A damaged line or
            // file of the former is skipped with a warning, so the prompt stays usable (eval, load, predict).
            readLines(dir.resolve("metrics.jsonl"), "curves", line -> {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                String type = o.get("type").getAsString();
                if (type.equals("step")) {
                    losses.add(o.get("loss").getAsDouble());
                } else if (type.equals("eval")) {
                    evals.add(new EvalEvent(o.get("step").getAsInt(), o.get("metric").getAsString(), o.get("value").getAsDouble(),
                            o.get("best").getAsDouble(), o.get("best_step").getAsInt()));
                }
            });
            List<PromptTuneRun.Prediction> predictions = new ArrayList<>();
            Path predictionsFile = dir.resolve("predictions.jsonl");
            if (Files.exists(predictionsFile)) {
                readLines(predictionsFile, "test predictions", line -> {
                    PromptTuneRun.Prediction p = GSON.fromJson(line, PromptTuneRun.Prediction.class);
                    if (p == null || p.input() == null || p.predicted() == null) {
                        throw new IllegalArgumentException("not a prediction");
                    }
                    predictions.add(p);
                });
            }
            Map<String, Double> baselines = numbers(summary.get("baselines"));
            PromptTuneRun.Uncalibrated uncalibrated = summary.has("calibrated") && summary.get("calibrated").getAsBoolean()
                    ? new PromptTuneRun.Uncalibrated(number(summary.get("dev_uncalibrated")), number(summary.get("test_uncalibrated")),
                            numbers(summary.get("baselines_uncalibrated")), numbers(summary.get("content_free_prior")))
                    : null;
            return new PromptTuneRun(spec, summary.get("id").getAsString(), dir, summary.get("metric").getAsString(),
                    number(summary.get("dev")), summary.get("best_step").getAsInt(), number(summary.get("test")), baselines,
                    summary.get("steps").getAsInt(), summary.get("seconds").getAsDouble(), summary.get("peak_rss_mib").getAsLong(),
                    summary.get("params_trainable").getAsLong(), summary.get("params_total").getAsLong(),
                    stopReason(summary, summaryFile), prompt.values(), prompt.length(), prompt.width(), losses, evals,
                    predictions, uncalibrated);
        } catch (RuntimeException e) {
            if (e instanceof PromptTuneException p) {
                throw p;
            }
            throw new PromptTuneException("cannot read run record " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands each non-blank line of a record's {@code .jsonl} file to {@code read}; lines it cannot read (not what
     * prompttune writes: edited, cut short, not UTF-8) are skipped, and so is a file that cannot be read, each with one
     * warning that names the file, the first bad line and what the loaded run lacks ({@code what}).
     */
    private static void readLines(Path file, String what, java.util.function.Consumer<String> read) {
        List<String> lines;
        try {
            lines = leniently(file); // bytes that are not UTF-8 make their line unreadable, not the whole record
        } catch (IOException e) {
            LOG.warn("{}: {}; the run is loaded without its {}", file, PathProblems.describe(file, e), what);
            return;
        }
        int bad = 0;
        int first = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                read.accept(line);
            } catch (RuntimeException e) {
                bad++;
                first = first == 0 ? i + 1 : first;
            }
        }
        if (bad > 0) {
            LOG.warn("{}:{}: {} line(s) are not what prompttune writes (edited or damaged) and were skipped; the run's "
                    + "{} lack them", file, first, bad, what);
        }
    }

    /** A record file's lines, bytes that are not UTF-8 decoded as replacement characters rather than refused. */
    private static List<String> leniently(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    }

    /** The summary field holding a checksum of the run's prompt values; records written before it have none. */
    static final String PROMPT_DIGEST = "prompt_sha256";

    /**
     * Refuses a record whose prompt is not the one its run saved (the checksum in summary.json), or whose spec.json
     * places the prompt elsewhere than its prompt file says: scored, either gives a number that is not the run's
     * beside the run's own (a prompt copied in from another run, a spec edited by hand).
     */
    private static void requireOwnPrompt(Path dir, JsonObject summary, PromptTuneSpec spec, PromptFile.Loaded prompt) {
        JsonElement recorded = summary.get(PROMPT_DIGEST);
        if (recorded != null && recorded.isJsonPrimitive()) {
            String now = EmbeddingFingerprint.of(prompt.values());
            if (!recorded.getAsString().equals(now)) {
                throw new PromptTuneException(dir.resolve("prompt.safetensors") + ": not the prompt this run saved (its "
                        + "values' checksum is " + EmbeddingFingerprint.shortly(now) + ", summary.json records " + EmbeddingFingerprint.shortly(recorded.getAsString())
                        + "); allowed: the record's own prompt (a prompt file from elsewhere is read with loadPrompt "
                        + "or %loadPrompt)");
            }
        }
        String placement = prompt.metadata() == null ? null : prompt.metadata().placement();
        if (placement != null && !placement.equals(spec.placement().key())) {
            throw new PromptTuneException(dir.resolve("spec.json") + ": placement is '" + spec.placement().key() + "' but "
                    + dir.resolve("prompt.safetensors") + " was trained with placement '" + placement + "'; allowed: the "
                    + "placement of the record's own prompt ('" + placement + "')");
        }
    }

    /** The summary's stop reason; an unknown one is named with its file. */
    private static StopReason stopReason(JsonObject summary, Path summaryFile) {
        try {
            return StopReason.of(summary.get("stop_reason").getAsString());
        } catch (PromptTuneException e) {
            throw new PromptTuneException(summaryFile + ": " + e.getMessage(), e);
        }
    }

    /** A JSON object of numbers (absent: empty), in its order. */
    private static Map<String, Double> numbers(JsonElement o) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (o != null && o.isJsonObject()) {
            o.getAsJsonObject().entrySet().forEach(e -> out.put(e.getKey(), number(e.getValue())));
        }
        return out;
    }

    private static double number(JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
