package dev.prompttune.kernel.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.style.AxesChartStyler;

/** The look shared by every chart: white background, light grid, matplotlib's "tab10" colours, sans-serif text. */
final class Style {

    static final Color TEXT = new Color(0x222222);
    static final Color GRID = new Color(0xE4E4E4);
    static final Color BORDER = new Color(0xB0B0B0);

    /** matplotlib tab10: distinct, colour-blind friendlier than XChart's default, and familiar from papers. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private Style() {
    }

    static Color colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** The same hue, mostly transparent: the raw loss under its smoothed line. */
    static Color faint(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
    }

    /** Logical "SansSerif": the JDK maps it through fontconfig to an installed face (DejaVu Sans on Debian). */
    static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /**
     * Text drawn as a filled, anti-aliased outline, the way XChart draws its own, so that our titles and
     * XChart's look alike (plain drawString comes out hinted and visibly thinner).
     */
    static void text(Graphics2D g, String s, float x, float y) {
        if (s.isEmpty()) {
            return;
        }
        Graphics2D t = (Graphics2D) g.create();
        t.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        t.fill(new TextLayout(s, g.getFont(), t.getFontRenderContext()).getOutline(AffineTransform.getTranslateInstance(x, y)));
        t.dispose();
    }

    static BufferedImage blank(int w, int h) {
        // RGB, not ARGB: notebooks on a dark theme would show a transparent chart's black text on black.
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    static void axes(AxesChartStyler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(BORDER);
        st.setPlotGridLinesColor(GRID);
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setChartFontColor(TEXT);
        st.setChartTitleFont(font(Font.BOLD, 13));
        st.setChartTitleBoxVisible(false);
        st.setAxisTitleFont(font(Font.PLAIN, 12));
        st.setAxisTickLabelsFont(font(Font.PLAIN, 11));
        st.setAxisTickLabelsColor(TEXT);
        st.setAxisTickMarksColor(BORDER);
        st.setLegendFont(font(Font.PLAIN, 11));
        st.setLegendBackgroundColor(new Color(255, 255, 255, 215));
        st.setLegendBorderColor(GRID);
        st.setLegendPadding(5);
        st.setChartPadding(8);
        st.setPlotMargin(4);
        st.setLocale(Locale.ROOT);
        st.setAntiAlias(true);
        st.setTextAntiAlias(true);
    }

    /** XChart refuses two series with the same name; runs in a sweep may share one. */
    static String unique(Set<String> used, String name) {
        String base = name == null || name.isBlank() ? "series" : name;
        String n = base;
        for (int k = 2; !used.add(n); k++) {
            n = base + " (" + k + ")";
        }
        return n;
    }

    static String step(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : String.format(Locale.ROOT, "%.4g", x);
    }

    /** The text cut with an ellipsis to fit {@code width} pixels. */
    static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
