package dev.prompttune.kernel.magics;

import dev.prompttune.core.interpret.NearestTokens;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.train.StopReason;
import dev.prompttune.dsl.Interpretation;
import dev.prompttune.dsl.Prediction;
import dev.prompttune.dsl.SweepResult;
import dev.prompttune.kernel.Renderers;
import dev.prompttune.kernel.RichOutput;
import dev.prompttune.kernel.charts.Charts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

/**
 * How prompttune's results look in a notebook: every view has a text/plain form (the same tables as on the
 * command line, so nbconvert's text output and GitHub both read well), an HTML table, and for comparisons a PNG
 * chart of the curves.
 */
public final class ResultViews {

    private ResultViews() {
    }

    /** Registers the views with a kernel's renderer (done by {@link PromptTuneExtension}). */
    public static void register(Renderer renderer) {
        Renderers.register(renderer, PromptTuneRun.class, ResultViews::run);
        Renderers.register(renderer, RunComparison.class, c -> comparison(c, "training curves"));
        Renderers.register(renderer, SweepResult.class, ResultViews::sweep);
        Renderers.register(renderer, Interpretation.class, ResultViews::interpretation);
        Renderers.register(renderer, Prediction.class, ResultViews::prediction);
    }

    /** One run: dev and test next to its baselines, what it was, and where it is saved. */
    public static RichOutput run(PromptTuneRun r) {
        if (r.stopReason() == StopReason.LOADED) {
            return loaded(r);
        }
        List<List<String>> rows = new ArrayList<>();
        PromptTuneRun.Uncalibrated u = r.uncalibrated();
        if (u == null) {
            rows.add(List.of("prompt tuning: " + r.name(), fmt(r.dev()), fmt(r.test())));
            r.baselines().forEach((k, v) -> rows.add(List.of("baseline: " + k, "", fmt(v))));
        } else {
            // calibrate true: calibrated dev and test beside the uncalibrated ones.
            rows.add(List.of("prompt tuning: " + r.name(), fmt(r.dev()), fmt(r.test()), fmt(u.dev()), fmt(u.test())));
            r.baselines().forEach((k, v) -> rows.add(List.of("baseline: " + k, "", fmt(v), "",
                    u.baselines().containsKey(k) ? fmt(u.baselines().get(k)) : "")));
        }
        String about = String.format(Locale.ROOT, "%s on %s: prompt %d × %d (init %s), %d steps (best at %d, %s), %.1f s, "
                        + "trainable %,d of %,d parameters (%.4f%%)", r.spec().model(), r.spec().taskName(), r.length(), r.width(),
                r.spec().init().kind(), r.steps(), r.bestStep(), r.stopReason().key().toLowerCase(Locale.ROOT),
                r.seconds(), r.paramsTrainable(), r.paramsTotal(), r.trainablePercent());
        String html = (r.spec().fastDevRun() ? fastDevRunHtml() : "") + "<div>" + Html.escape(about) + "</div>"
                + Html.table(u == null ? List.of("run", r.metric() + " (dev)", r.metric() + " (test)")
                        : List.of("run", r.metric() + " (dev, calibrated)", r.metric() + " (test, calibrated)",
                                r.metric() + " (dev, uncalibrated)", r.metric() + " (test, uncalibrated)"), rows)
                + (r.record() == null ? "" : "<div>record: <code>" + Html.escape(r.record().toString()) + "</code></div>");
        return RichOutput.of(r.table()).html(html);
    }

    /** The fast-dev-run warning, bold above a result's table. */
    private static String fastDevRunHtml() {
        return "<div><b>" + Html.escape(FastDevRun.BANNER) + "</b></div>";
    }

    /** A prompt loaded from a file: what it is for, and its recorded best dev score (it has no training history here). */
    static RichOutput loaded(PromptTuneRun r) {
        String text = String.format(Locale.ROOT, "prompt %s: %d × %d for model %s, task %s (init %s, placement %s); best dev %s %s at step %d",
                r.name(), r.length(), r.width(), r.spec().model(), r.spec().taskName(), r.spec().init().kind(),
                r.spec().placement().key(), r.metric(), fmt(r.dev()), r.bestStep());
        return RichOutput.of(text).html("<div>" + Html.escape(text) + "</div>");
    }

    /** Several runs: the comparison table and their loss and dev curves overlaid. */
    public static RichOutput comparison(RunComparison c, String title) {
        List<List<String>> rows = new ArrayList<>();
        for (RunComparison.Row r : c.rows()) {
            rows.add(List.of(r.name(), r.init(), String.valueOf(r.length()), r.model(), fmt(r.dev()), fmt(r.test()),
                    String.valueOf(r.steps()), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    String.format(Locale.ROOT, "%,d", r.paramsTrainable())));
        }
        String html = (c.rows().stream().anyMatch(RunComparison.Row::fastDevRun) ? fastDevRunHtml() : "")
                + Html.table(List.of("name", "init", "length", "model", "best dev", "test", "steps", "time (s)", "trainable"), rows);
        return RichOutput.of(c.table()).html(html).png(Charts.curvesPng(c, title));
    }

    public static RichOutput sweep(SweepResult s) {
        RichOutput curves = comparison(s.compare(), "sweep over " + String.join(", ", s.axes()));
        return RichOutput.of(s.table()).html("<pre>" + Html.escape(s.table()) + "</pre>" + curves.data().get("text/html"))
                .png(Charts.curvesPng(s.compare(), "sweep over " + String.join(", ", s.axes())));
    }

    public static RichOutput interpretation(Interpretation in) {
        List<List<String>> rows = new ArrayList<>();
        for (NearestTokens.Position p : in.tokens().positions()) {
            List<String> row = new ArrayList<>();
            row.add(String.valueOf(p.index()));
            StringBuilder near = new StringBuilder();
            for (int j = 0; j < p.tokens().length; j++) {
                near.append(j == 0 ? "" : "  ").append(p.tokens()[j]).append(String.format(Locale.ROOT, " (%.2f)", p.scores()[j]));
            }
            row.add(near.toString());
            String mark = "";
            for (NearestTokens.LabelMark m : in.labels()) {
                if (m.position() == p.index()) {
                    mark = "label '" + m.label() + "': " + (m.nearestIsLabel() ? "still nearest"
                            : m.rank() >= 0 ? "rank " + (m.rank() + 1) : "gone");
                }
            }
            row.add(mark);
            rows.add(row);
        }
        return RichOutput.of(in.table()).html("<div>nearest vocabulary tokens of " + Html.escape(in.run()) + " (cosine)</div>"
                + Html.table(List.of("position", "nearest tokens", "initial label"), rows));
    }

    public static RichOutput prediction(Prediction p) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : p.scores().entrySet()) {
            rows.add(List.of(e.getKey(), String.format(Locale.ROOT, "%.4f", e.getValue())));
        }
        String text = "prediction: " + p.label() + (p.scores().isEmpty() ? "" : "  scores " + p.scores());
        return RichOutput.of(text).html("<div><b>" + Html.escape(p.label()) + "</b> (target <code>" + Html.escape(p.target())
                + "</code>) for: " + Html.escape(p.input()) + "</div>"
                + (rows.isEmpty() ? "" : Html.table(List.of("label", "log-likelihood"), rows)));
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
