package dev.prompttune.kernel.charts;

import dev.prompttune.core.run.RunComparison;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * PNG charts for the notebook magics: training curves of several runs, the live curve of one run, and grouped
 * bars for ablations. Drawn with XChart into an in-memory image, so they work in the kernel's headless JVM
 * (text needs a font that fontconfig can find; Debian's JDK brings fonts-dejavu-core, bin/test checks for it).
 * Every method accepts empty, NaN-filled or ragged data and still returns a readable PNG (an empty panel
 * says "no data yet"), because a chart that throws in the middle of a training cell is worse than none.
 */
public final class Charts {

    /** Size of the two-panel charts ({@link #curvesPng}, {@link #livePng}). */
    public static final int CURVES_WIDTH = 900;
    public static final int CURVES_HEIGHT = 360;
    /** Size of {@link #barsPng}. */
    public static final int BARS_WIDTH = 720;
    public static final int BARS_HEIGHT = 400;

    private Charts() {
    }

    /** Loss (left panel) and dev metric (right panel) against step, one line per run, with a legend of run names. */
    public static byte[] curvesPng(RunComparison comparison, String title) {
        List<RunComparison.Series> loss = comparison == null || comparison.loss() == null ? List.of() : comparison.loss();
        List<RunComparison.Series> dev = comparison == null || comparison.dev() == null ? List.of() : comparison.dev();
        List<RunComparison.Row> rows = comparison == null || comparison.rows() == null ? List.of() : comparison.rows();
        // One colour per run name, shared by both panels, so the single legend serves both.
        Map<String, Color> colours = new LinkedHashMap<>();
        rows.forEach(r -> colours.computeIfAbsent(r.name(), n -> Style.colour(colours.size())));
        loss.forEach(s -> colours.computeIfAbsent(s.name(), n -> Style.colour(colours.size())));
        dev.forEach(s -> colours.computeIfAbsent(s.name(), n -> Style.colour(colours.size())));
        Set<String> metrics = new LinkedHashSet<>();
        rows.forEach(r -> metrics.add(r.metric()));
        String metric = metrics.size() == 1 && metrics.iterator().next() != null ? metrics.iterator().next() : "metric";

        List<Panels.Line> lossLines = new ArrayList<>();
        loss.forEach(s -> lossLines.add(new Panels.Line(s.name(), Points.finite(s.x(), s.y()), colours.get(s.name()))));
        List<Panels.Line> devLines = new ArrayList<>();
        dev.forEach(s -> devLines.add(new Panels.Line(s.name(), Points.finite(s.x(), s.y()), colours.get(s.name()))));
        boolean legend = colours.size() > 1;
        return compose(title, Panels.pair(lossLines, "training loss", devLines, "dev " + metric, metric, legend));
    }

    /**
     * The live chart of one training run: training loss against step (left) and the dev metric against step
     * (right, empty until the first evaluation). Panel titles carry the last loss and the best dev value.
     */
    public static byte[] livePng(String runName, double[] steps, double[] losses, double[] evalSteps, double[] evalValues,
                                 String metricName) {
        String metric = metricName == null || metricName.isBlank() ? "metric" : metricName;
        Points loss = Points.finite(steps, losses);
        Points dev = Points.finite(evalSteps, evalValues);
        String lossTitle = "training loss";
        if (!loss.isEmpty()) {
            lossTitle += String.format(Locale.ROOT, "  (step %s: %.4f)", Style.step(loss.x()[loss.size() - 1]),
                    loss.y()[loss.size() - 1]);
        }
        String devTitle = "dev " + metric;
        if (!dev.isEmpty()) {
            int best = 0;
            for (int i = 1; i < dev.size(); i++) {
                // "best" is the highest: the metrics logged here (accuracy, F1, exact match…) grow.
                best = dev.y()[i] > dev.y()[best] ? i : best;
            }
            devTitle += String.format(Locale.ROOT, "  (best %.4f at step %s)", dev.y()[best], Style.step(dev.x()[best]));
        }
        String name = runName == null ? "run" : runName;
        List<Panels.Line> lossLines = List.of(new Panels.Line(name, loss, Style.colour(0)));
        List<Panels.Line> devLines = List.of(new Panels.Line(name, dev, Style.colour(1)));
        return compose(name, Panels.pair(lossLines, lossTitle, devLines, devTitle, metric, false));
    }

    /**
     * Grouped bars, e.g. categories = prompt lengths "1","5","20","100" and one series "test accuracy". Each
     * series' values line up with {@code categories}; missing, NaN or infinite values leave a gap (no bar), and
     * a value array of the wrong length is padded with gaps or cut. Bars carry their value as a label.
     */
    public static byte[] barsPng(String title, String xLabel, String yLabel, List<String> categories,
                                 LinkedHashMap<String, double[]> series) {
        return barsPng(title, xLabel, yLabel, categories, series, null);
    }

    /**
     * Grouped bars with error bars: as {@link #barsPng(String, String, String, List, LinkedHashMap)}, and each
     * series named in {@code errors} draws a whisker of ± its value at each bar (e.g. the standard deviation over
     * seeds, {@link dev.prompttune.core.eval.Spread#sd()}). A series without errors, or a missing or non-finite
     * error, draws none.
     */
    public static byte[] barsPng(String title, String xLabel, String yLabel, List<String> categories,
                                 LinkedHashMap<String, double[]> series, Map<String, double[]> errors) {
        BufferedImage image = Style.blank(BARS_WIDTH, BARS_HEIGHT);
        Graphics2D g = image.createGraphics();
        try {
            List<String> cats = categories == null ? List.of() : categories.stream().map(String::valueOf).toList();
            Map<String, double[]> data = series == null ? Map.of() : series;
            boolean any = data.values().stream().anyMatch(v -> v != null && Arrays.stream(v).limit(cats.size())
                    .anyMatch(Double::isFinite));
            if (cats.isEmpty() || !any) {
                Panels.empty(title, xLabel, yLabel).paint(g, BARS_WIDTH, BARS_HEIGHT);
                return png(image);
            }
            CategoryChart chart = new CategoryChart(BARS_WIDTH, BARS_HEIGHT);
            chart.setTitle(title == null ? "" : title);
            chart.setXAxisTitle(xLabel == null ? "" : xLabel);
            chart.setYAxisTitle(yLabel == null ? "" : yLabel);
            CategoryStyler st = chart.getStyler();
            Style.axes(st);
            st.setPlotGridVerticalLinesVisible(false);
            st.setLegendVisible(data.size() > 1);
            st.setLegendPosition(Styler.LegendPosition.OutsideS);
            st.setLegendLayout(Styler.LegendLayout.Horizontal);
            st.setLabelsVisible(true);
            st.setLabelsFont(Style.font(Font.PLAIN, 11));
            // Inside the bar's top (XChart picks white or dark text for the fill); mid-bar when whiskers sit on the top.
            st.setLabelsPosition(errors == null || errors.isEmpty() ? 0.92 : 0.5);
            st.setAvailableSpaceFill(0.7);
            st.setYAxisDecimalPattern("#,##0.###");
            st.setErrorBarsColor(Style.TEXT);
            int i = 0;
            Set<String> used = new LinkedHashSet<>();
            for (Map.Entry<String, double[]> e : data.entrySet()) {
                double[] v = e.getValue() == null ? new double[0] : e.getValue();
                List<Double> ys = new ArrayList<>(cats.size());
                for (int c = 0; c < cats.size(); c++) {
                    // XChart leaves a null value's slot empty; NaN would poison its axis range.
                    ys.add(c < v.length && Double.isFinite(v[c]) ? v[c] : null);
                }
                double[] err = errors == null ? null : errors.get(e.getKey());
                CategorySeries s;
                if (err == null) {
                    s = chart.addSeries(Style.unique(used, e.getKey()), cats, ys);
                } else {
                    List<Double> whiskers = new ArrayList<>(cats.size());
                    for (int c = 0; c < cats.size(); c++) {
                        whiskers.add(ys.get(c) != null && c < err.length && Double.isFinite(err[c]) ? err[c] : 0.0);
                    }
                    s = chart.addSeries(Style.unique(used, e.getKey()), cats, ys, whiskers);
                }
                s.setFillColor(Style.colour(i++));
            }
            chart.paint(g, BARS_WIDTH, BARS_HEIGHT);
            return png(image);
        } finally {
            g.dispose();
        }
    }

    /** Two panels side by side under an optional title strip, on one white 900x360 image. */
    private static byte[] compose(String title, Panels.Painter[] panels) {
        BufferedImage image = Style.blank(CURVES_WIDTH, CURVES_HEIGHT);
        Graphics2D g = image.createGraphics();
        try {
            int top = 0;
            if (title != null && !title.isBlank()) {
                top = 30;
                g.setFont(Style.font(Font.BOLD, 15));
                g.setColor(Style.TEXT);
                FontMetrics fm = g.getFontMetrics();
                String t = Style.fit(title, fm, CURVES_WIDTH - 20);
                Style.text(g, t, (CURVES_WIDTH - fm.stringWidth(t)) / 2, 8 + fm.getAscent());
            }
            int w = CURVES_WIDTH / panels.length;
            for (int i = 0; i < panels.length; i++) {
                Graphics2D p = (Graphics2D) g.create(i * w, top, w, CURVES_HEIGHT - top);
                try {
                    panels[i].paint(p, w, CURVES_HEIGHT - top);
                } finally {
                    p.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return png(image);
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: does not happen
        }
    }
}
