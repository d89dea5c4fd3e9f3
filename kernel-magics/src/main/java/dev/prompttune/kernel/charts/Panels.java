package dev.prompttune.kernel.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The curve panels of {@link Charts}: one XChart {@link XYChart} per panel, or a "no data yet" placeholder. */
final class Panels {

    /** Draws itself into a {@code w x h} area whose origin is the graphics' origin. */
    interface Painter {
        void paint(Graphics2D g, int w, int h);
    }

    /** One run's curve in a panel. */
    record Line(String name, Points points, Color colour) {}

    /** Raw points drawn per line at most (2 per bucket); a panel's plot area is ~400 px wide. */
    private static final int BUCKETS = 400;
    /** Lines with fewer points get a marker on each point, so a 1- or 2-point series is still visible. */
    private static final int MARKER_LIMIT = 40;

    private Panels() {
    }

    /**
     * Loss on the left, dev metric on the right, over the same x range so that steps line up.
     * The legend (if any) goes on the loss panel's top right, where a falling loss curve leaves room, or on the
     * dev panel when there is no loss yet.
     */
    static Painter[] pair(List<Line> loss, String lossTitle, List<Line> dev, String devTitle, String metric, boolean legend) {
        boolean hasLoss = loss.stream().anyMatch(l -> !l.points().isEmpty());
        boolean hasDev = dev.stream().anyMatch(l -> !l.points().isEmpty());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Line> lines : List.of(loss, dev)) {
            for (Line l : lines) {
                for (double x : l.points().x()) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        double[] range = hasLoss || hasDev ? new double[] {lo, hi} : null;
        Painter left = hasLoss ? curves(loss, lossTitle, "loss", true, legend, range) : empty(lossTitle, "step", "loss");
        Painter right = hasDev ? curves(dev, devTitle, metric, false, legend && !hasLoss, range) : empty(devTitle, "step", metric);
        return new Painter[] {left, right};
    }

    /**
     * A panel of lines against step. With {@code smooth}, a noisy series of 90 points or more is drawn faint as
     * is and again as a bias-corrected EMA over ~1/30 of its length; the y-axis title says so.
     */
    static Painter curves(List<Line> lines, String title, String yLabel, boolean smooth, boolean legend, double[] xRange) {
        XYChart chart = new XYChart(450, 330);
        chart.setXAxisTitle("step");
        chart.setYAxisTitle(yLabel);
        XYStyler st = chart.getStyler();
        Style.axes(st);
        st.setLegendVisible(legend);
        st.setLegendPosition(smooth ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
        st.setXAxisDecimalPattern("#,##0.##");
        st.setYAxisDecimalPattern("#,##0.###");
        Set<String> used = new LinkedHashSet<>();
        boolean smoothed = false;
        // Every faint raw line first, then every solid one: XChart paints in insertion order, and a raw line
        // painted over another run's smoothed line would blur it.
        List<Line> solid = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        for (Line l : lines) {
            Points p = l.points();
            if (p.isEmpty()) {
                continue;
            }
            int window = p.size() / 30;
            if (smooth && window >= 3) {
                smoothed = true;
                Points raw = p.envelope(BUCKETS);
                XYSeries r = chart.addSeries(Style.unique(used, l.name() + " (raw)"), raw.x(), raw.y());
                xs.add(raw.x());
                style(r, Style.faint(l.colour()), 1f, false);
                r.setShowInLegend(false);
                p = p.ema(window);
            }
            solid.add(new Line(l.name(), p, l.colour()));
        }
        for (Line l : solid) {
            Points shown = l.points().envelope(BUCKETS);
            XYSeries s = chart.addSeries(Style.unique(used, l.name()), shown.x(), shown.y());
            xs.add(shown.x());
            style(s, l.colour(), 2f, shown.size() < MARKER_LIMIT);
        }
        if (xRange != null) {
            st.setXAxisMin(xRange[0]);
            st.setXAxisMax(xRange[1] + equalSpacingPad(xs, xRange));
        }
        chart.setTitle(title);
        if (smoothed) {
            // Said on the y axis, not in the title: the title may already carry the last value and the axis has room.
            chart.setYAxisTitle(yLabel + " (EMA-smoothed; faint: raw)");
        }
        return chart::paint;
    }

    /**
     * When the x values together with the axis ends are equally spaced (steps 1..120, every step logged),
     * XChart puts one tick per value: "1, 9, 17, 25…". Half a spacing of extra room on the right breaks the
     * equal spacing, and XChart falls back to round ticks (20, 40, 60…). Returns that pad, or 0.
     */
    static double equalSpacingPad(List<double[]> xs, double[] range) {
        double[] all = DoubleStream.concat(xs.stream().flatMapToDouble(Arrays::stream), DoubleStream.of(range))
                .sorted().distinct().toArray();
        if (all.length < 3) {
            return 0;
        }
        double gap = all[1] - all[0];
        for (int i = 2; i < all.length; i++) {
            if (Math.abs(all[i] - all[i - 1] - gap) > 1e-4) {
                return 0;
            }
        }
        return gap / 2;
    }

    private static void style(XYSeries s, Color colour, float width, boolean markers) {
        s.setLineColor(colour);
        s.setLineWidth(width);
        s.setMarkerColor(colour);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /**
     * A framed, empty plot with its title, axis names and "no data yet". XChart rejects empty series, and its
     * series-less chart is a bare frame that does not say why it is empty.
     */
    static Painter empty(String title, String xLabel, String yLabel) {
        return (g, w, h) -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setFont(Style.font(Font.BOLD, 13));
            g.setColor(Style.TEXT);
            FontMetrics fm = g.getFontMetrics();
            String t = Style.fit(title == null ? "" : title, fm, w - 20);
            Style.text(g, t, (w - fm.stringWidth(t)) / 2, 8 + fm.getAscent());
            int top = 16 + fm.getHeight();
            int left = 44;
            int bottom = h - 36;
            int right = w - 12;
            g.setColor(Style.BORDER);
            g.drawRect(left, top, right - left, bottom - top);
            g.setFont(Style.font(Font.PLAIN, 12));
            fm = g.getFontMetrics();
            g.setColor(Style.TEXT);
            String x = xLabel == null ? "" : xLabel;
            Style.text(g, x, (left + right - fm.stringWidth(x)) / 2, h - 12);
            String y = yLabel == null ? "" : yLabel;
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            Style.text(r, y, -(top + bottom + fm.stringWidth(y)) / 2, 18 + fm.getAscent() - fm.getHeight() / 2);
            r.dispose();
            g.setColor(Style.BORDER);
            String msg = "no data yet";
            Style.text(g, msg, (left + right - fm.stringWidth(msg)) / 2, (top + bottom) / 2);
        };
    }
}
