package dev.prompttune.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real kernel under real Jupyter clients: installs the kernelspec into target/it-jupyter (class path
 * target/classes + target/lib/*), then runs src/test/python/test_kernel.py (jupyter_kernel_test suite,
 * interrupt, client death) and executes src/test/notebooks/smoke.ipynb with nbconvert.
 * Needs Debian's Jupyter packages (bin/test installs them); skipped with a message when they are missing.
 * Every subprocess runs under coreutils' {@code timeout}.
 */
class KernelIntegrationTest {

    static final String PYTHON = "/usr/bin/python3";
    static final String KERNEL_NAME = "prompttune-java-it";

    static Path basedir;
    static Path work;
    static Map<String, String> env;

    @BeforeAll
    static void installKernelspec() throws Exception {
        basedir = Path.of(System.getProperty("prompttune.kernel.basedir", ".")).toAbsolutePath();
        Path build = Path.of(System.getProperty("prompttune.kernel.builddir", basedir.resolve("target").toString()));
        work = build.resolve("it-jupyter");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " not found: install Jupyter (bin/test does)");
        Result probe = run(List.of(PYTHON, "-c", "import jupyter_kernel_test, jupyter_client, nbclient, nbconvert"), 60, null);
        Assumptions.assumeTrue(probe.exit == 0, "Debian's Jupyter packages are missing (jupyter-nbconvert "
                + "python3-nbclient jupyter-client python3-jupyter-kernel-test): " + probe.output);

        Path prefix = work.resolve("prefix");
        Path dir = new KernelSpecInstaller().name(KERNEL_NAME).prefix(prefix).install();
        assertTrue(Files.exists(dir.resolve("kernel.json")));
        Files.createDirectories(work.resolve("runtime"));
        Files.createDirectories(work.resolve("config"));
        env = Map.of(
                "JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString(),
                "JUPYTER_CONFIG_DIR", work.resolve("config").toString(),
                "PROMPTTUNE_KERNEL_NAME", KERNEL_NAME,
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    @Test
    void jupyterProtocolSuitePasses() throws Exception {
        Result r = run(List.of(PYTHON, "-B", basedir.resolve("src/test/python/test_kernel.py").toString()), 420,
                basedir.resolve("src/test/python"));
        System.out.println(r.output);
        assertEquals(0, r.exit, "test_kernel.py failed:\n" + tail(r.output));
        assertTrue(r.output.contains("OK"), tail(r.output));
    }

    @Test
    void notebookExecutesWithNbconvert() throws Exception {
        Path out = work.resolve("nbconvert");
        Files.createDirectories(out);
        Result r = run(List.of("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=" + KERNEL_NAME, "--ExecutePreprocessor.timeout=120",
                "--output-dir", out.toString(), "--output", "smoke.executed",
                basedir.resolve("src/test/notebooks/smoke.ipynb").toString()), 300, work);
        assertEquals(0, r.exit, "nbconvert failed:\n" + tail(r.output));

        JsonObject nb = new Gson().fromJson(Files.readString(out.resolve("smoke.executed.ipynb")), JsonObject.class);
        JsonArray cells = nb.getAsJsonArray("cells");
        assertEquals(5, cells.size());
        assertTrue(text(outputs(cells, 0).get(0), "text/plain").startsWith("prompttune "));
        List<JsonObject> second = outputs(cells, 1);
        assertEquals("x=20\n", join(second.get(0).get("text")));
        assertEquals("42", text(second.get(1), "text/plain"));
        List<JsonObject> third = outputs(cells, 2);
        assertEquals(1, third.size());
        assertEquals("step 3", text(third.get(0), "text/plain"), "update_display_data replaced the display");
        assertEquals("<b>bold</b>", text(outputs(cells, 3).get(0), "text/html"));
        assertNotNull(outputs(cells, 4).get(0).getAsJsonObject("data").get("image/png"));
    }

    /**
     * The least margin (test accuracy) of the quickstart's prompt over each baseline (prompt design, majority class)
     * when the notebook is re-executed in full: issue #20's +0.10. Measured on the default model (`t5-mini-ppmi`,
     * the quickstart's recipe) over seeds 1-5 with 1 and 2 PyTorch threads, which stand in for other CPUs' rounding:
     * the least lift was +0.36 (README, main job; +0.36 on the previous default `t5-mini-wide`, +0.34 on
     * `t5-mini-topics`), so this holds on any CPU that is not broken.
     */
    static final double QUICKSTART_MARGIN = 0.10;

    /** The notebook that runs in full (its lift is checked); the others run as fast dev runs. */
    static final String FULL_NOTEBOOK = "quickstart";

    /**
     * The example notebooks (notebooks/*.ipynb, the project's experiment records) re-executed from scratch: no cell
     * may fail, and each must draw its charts as image/png outputs. The kernel runs in notebooks/, as in Jupyter.
     * The quickstart runs in full, and its prompt must score at least {@link #QUICKSTART_MARGIN} over both baselines
     * on test: this is the one place CI trains the embedded default model for real. The
     * others run as fast dev runs ({@code PROMPTTUNE_FAST_DEV_RUN=1}: 2 steps of 4 examples, 8 dev/test examples), which checks
     * that every cell runs and draws; {@code bin/notebooks} re-executes them all in full.
     */
    @Test
    void exampleNotebooksExecuteWithTheirCharts() throws Exception {
        Path notebooks = basedir.normalize().getParent().resolve("notebooks");
        List<Path> all;
        try (var s = Files.list(notebooks)) {
            all = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(all.size() >= 3, "expected the quickstart, ablations and multitask notebooks in " + notebooks);
        Path out = work.resolve("notebooks");
        Files.createDirectories(out);
        for (Path nb : all) {
            String name = nb.getFileName().toString().replace(".ipynb", "");
            boolean full = name.equals(FULL_NOTEBOOK);
            Map<String, String> nbEnv = new LinkedHashMap<>(env);
            nbEnv.put("PROMPTTUNE_FAST_DEV_RUN", full ? "0" : "1"); // "0": a developer's shell cannot shorten the quickstart
            long start = System.nanoTime();
            Result r = run(List.of("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.kernel_name=" + KERNEL_NAME, "--ExecutePreprocessor.timeout=900",
                    "--output-dir", out.toString(), "--output", name + ".executed", nb.toString()), 1500, notebooks, nbEnv);
            System.out.printf("%s executed in %.0f s (%s)%n", nb.getFileName(), (System.nanoTime() - start) / 1e9,
                    full ? "in full" : "fast dev run");
            assertEquals(0, r.exit, nb + " failed under nbconvert:\n" + tail(r.output));
            JsonArray cells = new Gson().fromJson(Files.readString(out.resolve(name + ".executed.ipynb")), JsonObject.class)
                    .getAsJsonArray("cells");
            int pngs = 0;
            boolean marked = false;
            for (int i = 0; i < cells.size(); i++) {
                JsonObject cell = cells.get(i).getAsJsonObject();
                if (!cell.has("outputs")) {
                    continue;
                }
                for (JsonElement e : cell.getAsJsonArray("outputs")) {
                    JsonObject o = e.getAsJsonObject();
                    assertTrue(!"error".equals(o.get("output_type").getAsString()), nb + " cell " + i + " failed: " + o);
                    if (o.has("data") && o.getAsJsonObject("data").has("image/png")) {
                        pngs++;
                    }
                    marked |= o.toString().contains("FAST DEV RUN");
                    if ("stream".equals(o.get("output_type").getAsString())) {
                        // A notebook is an experiment record: warnings read "[WARN] message", as on the command line,
                        // not as a server log ("2171321 [Thread-41] WARN dev.prompttune.core.run.PromptTuning - …").
                        String text = o.get("text").isJsonArray() ? String.join("", new Gson().fromJson(o.get("text"),
                                String[].class)) : o.get("text").getAsString();
                        assertTrue(text.lines().noneMatch(l -> l.matches(".*\\] (WARN|INFO|ERROR) .*")),
                                nb + " cell " + i + " prints a log line in server format: " + text);
                    }
                }
            }
            assertTrue(pngs >= 1, nb + " drew no image/png chart");
            // The switch must reach the kernel: a fast notebook that trained in full would pass here, only slowly.
            assertEquals(!full, marked, nb + (full ? " ran in full but says FAST DEV RUN" : " ran without the FAST DEV RUN mark"));
            if (full) {
                assertPromptBeatsBaselines(cells);
                assertEmailPredictions(cells);
            }
        }
    }

    /**
     * Reads the quickstart's printed comparison ("prompt tuning  test accuracy 0.605 …", then one line per
     * baseline) and asks for at least {@link #QUICKSTART_MARGIN} over each baseline (0.10 is about four standard
     * errors on its 400 test e-mails).
     */
    private static void assertPromptBeatsBaselines(JsonArray cells) {
        String printed = null;
        for (JsonElement e : cells) {
            JsonObject cell = e.getAsJsonObject();
            if (cell.has("outputs") && join(cell.get("source")).contains("spam.baselines()")) {
                StringBuilder b = new StringBuilder();
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    if (o.getAsJsonObject().has("text")) {
                        b.append(join(o.getAsJsonObject().get("text")));
                    }
                }
                printed = b.toString();
            }
        }
        assertNotNull(printed, "quickstart.ipynb has no cell printing spam.baselines()");
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Pattern line = Pattern.compile("(?m)^(.+?)\\s+test accuracy (\\d\\.\\d+)");
        Matcher m = line.matcher(printed);
        while (m.find()) {
            accuracy.put(m.group(1).trim(), Double.parseDouble(m.group(2)));
        }
        Double prompt = accuracy.remove("prompt tuning");
        assertNotNull(prompt, "no 'prompt tuning  test accuracy' line in:\n" + printed);
        assertTrue(accuracy.keySet().containsAll(List.of("design", "majority")), "baselines missing in:\n" + printed);
        accuracy.forEach((baseline, value) -> assertTrue(prompt >= value + QUICKSTART_MARGIN,
                "quickstart prompt (test " + prompt + ") is not within " + QUICKSTART_MARGIN + " of " + baseline + " (" + value + ")"));
    }

    /**
     * The least margin, in nats of label log-likelihood, by which the quickstart's {@code %predict} must get each of
     * its two hand-written e-mails right (issue #20: "with a clear margin"). Measured on the default model
     * (`t5-mini-ppmi`) with the quickstart's recipe at seeds 1-5, 1 and 2 threads (models/README.md, t5-mini-ppmi):
     * the spam e-mail by 3.95-7.07 nats, the normal one by 1.26-5.69 (seed 1, the notebook's: 7.07 and 1.26), so half
     * a nat leaves room for another CPU's rounding.
     */
    static final double EMAIL_MARGIN = 0.5;

    /** Reads each {@code %predict} cell's "prediction: LABEL  scores {spam=…, ham=…}" and checks label and margin. */
    private static void assertEmailPredictions(JsonArray cells) {
        Map<String, String> expected = Map.of("Lowest mortgage rates", "spam", "Re: meeting notes", "ham");
        Pattern result = Pattern.compile("prediction: (\\w+)\\s+scores \\{spam=(-?[\\d.E-]+), ham=(-?[\\d.E-]+)}");
        int checked = 0;
        for (JsonElement e : cells) {
            JsonObject cell = e.getAsJsonObject();
            String source = join(cell.get("source"));
            if (!cell.has("outputs") || !source.startsWith("%predict")) {
                continue;
            }
            for (Map.Entry<String, String> email : expected.entrySet()) {
                if (!source.contains(email.getKey())) {
                    continue;
                }
                StringBuilder printed = new StringBuilder();
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    JsonObject out = o.getAsJsonObject();
                    if (out.has("data") && out.getAsJsonObject("data").has("text/plain")) {
                        printed.append(text(out, "text/plain")).append('\n');
                    }
                }
                Matcher m = result.matcher(printed);
                assertTrue(m.find(), "no 'prediction: … scores {…}' output for the e-mail '" + email.getKey() + "' in " + printed);
                double spam = Double.parseDouble(m.group(2));
                double ham = Double.parseDouble(m.group(3));
                double margin = email.getValue().equals("spam") ? spam - ham : ham - spam;
                assertEquals(email.getValue(), m.group(1), "quickstart %predict of '" + email.getKey() + "'");
                assertTrue(margin >= EMAIL_MARGIN, "quickstart %predict of '" + email.getKey() + "' is right by only "
                        + margin + " nats (at least " + EMAIL_MARGIN + " expected)");
                checked++;
            }
        }
        assertEquals(expected.size(), checked, "quickstart.ipynb should %predict both example e-mails");
    }

    // ---------------------------------------------------------------------------------------------

    private static List<JsonObject> outputs(JsonArray cells, int i) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : cells.get(i).getAsJsonObject().getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            assertTrue(!"error".equals(o.get("output_type").getAsString()), "cell " + i + " failed: " + o);
            out.add(o);
        }
        return out;
    }

    private static String text(JsonObject output, String mime) {
        return join(output.getAsJsonObject("data").get(mime));
    }

    private static String join(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            e.getAsJsonArray().forEach(x -> b.append(x.getAsString()));
            return b.toString();
        }
        return e.getAsString();
    }

    record Result(int exit, String output) {
    }

    /** Runs under {@code timeout} (TERM, then KILL 10 s later); stdout+stderr merged. */
    static Result run(List<String> command, int timeoutSeconds, Path cwd) throws IOException, InterruptedException {
        return run(command, timeoutSeconds, cwd, env);
    }

    /** Like {@link #run(List, int, Path)} with the given extra environment. */
    static Result run(List<String> command, int timeoutSeconds, Path cwd, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "10", String.valueOf(timeoutSeconds)));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        Path log = Files.createTempFile("kernel-it", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        int exit = p.waitFor();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(exit, output);
    }

    static String tail(String s) {
        return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
    }
}
