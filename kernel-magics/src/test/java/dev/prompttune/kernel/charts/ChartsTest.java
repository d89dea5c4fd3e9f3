package dev.prompttune.kernel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.RunComparison;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Renders each chart and reads the PNG back. Besides size and validity it checks pixels: the series colours
 * (tab10 blue 0x1f77b4, orange 0xff7f0e) must appear where a line or bar was drawn and not where none was.
 * The images are also written to target/charts-preview/ for a look.
 */
class ChartsTest {

    private static final int BLUE = 0x1f77b4;
    private static final int ORANGE = 0xff7f0e;

    @Test
    void curvesOfTwoLongRunsDrawBothColoursInBothPanels() throws IOException {
        RunComparison cmp = comparison(5_000, "len20-vocab", "len100-random");
        long t0 = System.nanoTime();
        byte[] png = Charts.curvesPng(cmp, "prompt length ablation");
        long t1 = System.nanoTime();
        Charts.curvesPng(cmp, "prompt length ablation");
        long t2 = System.nanoTime();
        // The first chart in a JVM also pays for loading XChart, AWT and the fonts.
        System.out.printf("curvesPng, 2 runs x 5,000 loss points: %d ms (maybe first in this JVM), %d ms again, %,d bytes%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, png.length);
        BufferedImage img = read(png, "curves.png");
        assertEquals(Charts.CURVES_WIDTH, img.getWidth());
        assertEquals(Charts.CURVES_HEIGHT, img.getHeight());
        assertTrue(distinctColours(img, 0, img.getWidth()) > 50, "anti-aliased lines and text give many colours");
        int half = img.getWidth() / 2;
        for (int colour : new int[] {BLUE, ORANGE}) {
            assertTrue(count(img, colour, 0, half) > 100, "loss panel lacks " + Integer.toHexString(colour));
            assertTrue(count(img, colour, half, img.getWidth()) > 100, "dev panel lacks " + Integer.toHexString(colour));
        }
    }

    @Test
    void fiveThousandPointLiveRunRendersQuickly() throws IOException {
        double[] steps = new double[5_000];
        double[] losses = new double[5_000];
        Random rnd = new Random(1);
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
            losses[i] = 3 * Math.exp(-i / 900.0) + 0.3 + 0.25 * rnd.nextGaussian();
        }
        Charts.livePng("warm-up", steps, losses, new double[] {1}, new double[] {0.5}, "accuracy"); // JIT, fonts
        long t0 = System.nanoTime();
        byte[] png = Charts.livePng("len20 lr0.3", steps, losses, new double[] {1000, 2000, 3000, 4000, 5000},
                new double[] {0.52, 0.61, 0.66, 0.70, 0.69}, "accuracy");
        System.out.println("livePng, 5,000 loss points: " + (System.nanoTime() - t0) / 1_000_000 + " ms (warm)");
        BufferedImage img = read(png, "live.png");
        assertEquals(Charts.CURVES_WIDTH, img.getWidth());
        assertTrue(count(img, BLUE, 0, img.getWidth() / 2) > 100, "loss line");
        assertTrue(count(img, ORANGE, img.getWidth() / 2, img.getWidth()) > 20, "dev line");
    }

    @Test
    void liveChartBeforeTheFirstEvaluationHasAnEmptyDevPanel() throws IOException {
        BufferedImage img = read(Charts.livePng("run", new double[] {1, 2, 3}, new double[] {2.0, 1.5, 1.2},
                new double[0], new double[0], "accuracy"), "live-no-dev.png");
        int half = img.getWidth() / 2;
        assertTrue(count(img, BLUE, 0, half) > 10);
        assertEquals(0, count(img, ORANGE, half, img.getWidth()), "no dev values, no dev line");
        assertTrue(distinctColours(img, half, img.getWidth()) > 5, "the empty panel still has a frame and labels");
    }

    @Test
    void nanInfinityNullsAndRaggedArraysDoNotThrow() throws IOException {
        double nan = Double.NaN;
        read(Charts.livePng(null, new double[] {1, 2, 3, 4}, new double[] {nan, 2, Double.POSITIVE_INFINITY},
                new double[] {1, 2}, new double[] {nan, nan}, null), "live-nan.png");
        read(Charts.livePng("r", null, null, null, null, "f1"), null);
        read(Charts.livePng("one point", new double[] {7}, new double[] {1.25}, new double[] {7}, new double[] {0.4}, "f1"),
                "live-one-point.png");
        read(Charts.curvesPng(null, null), null);
        RunComparison.Series empty = new RunComparison.Series("empty", new double[0], new double[0]);
        RunComparison.Series nans = new RunComparison.Series("nans", new double[] {1, 2}, new double[] {nan, nan});
        read(Charts.curvesPng(new RunComparison(List.of(), List.of(empty, nans), List.of(empty)), "nothing"), null);
        // Two runs with one name: XChart rejects duplicate series names unless we rename.
        RunComparison dup = comparison(50, "same", "same");
        read(Charts.curvesPng(dup, "duplicates"), null);
    }

    @Test
    void groupedBarsWithAMissingValue() throws IOException {
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        series.put("dev accuracy", new double[] {0.52, 0.61, 0.74, 0.71});
        series.put("test accuracy", new double[] {0.50, Double.NaN, 0.72});
        BufferedImage img = read(Charts.barsPng("prompt length", "prompt length (tokens)", "accuracy",
                List.of("1", "5", "20", "100"), series), "bars.png");
        assertEquals(Charts.BARS_WIDTH, img.getWidth());
        assertEquals(Charts.BARS_HEIGHT, img.getHeight());
        assertTrue(count(img, BLUE, 0, img.getWidth()) > 1_000, "dev bars");
        assertTrue(count(img, ORANGE, 0, img.getWidth()) > 1_000, "test bars");
    }

    @Test
    void errorBarsDrawWhiskersOnlyWhereGiven() throws IOException {
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        series.put("test accuracy", new double[] {0.50, 0.61, 0.74, 0.71});
        List<String> lengths = List.of("1", "5", "20", "100");
        BufferedImage plain = read(Charts.barsPng("t", "x", "y", lengths, series), null);
        BufferedImage none = read(Charts.barsPng("t", "x", "y", lengths, series,
                java.util.Map.of("other series", new double[] {0.1, 0.1, 0.1, 0.1})), null);
        BufferedImage whiskers = read(Charts.barsPng("t", "x", "y", lengths, series,
                java.util.Map.of("test accuracy", new double[] {0.08, 0.08, Double.NaN, 0.08})), "bars-errors.png");
        int text = Style.TEXT.getRGB() & 0xffffff;
        assertEquals(count(plain, text, 0, plain.getWidth()), count(none, text, 0, none.getWidth()),
                "errors of a series that is not drawn change nothing");
        // Three whiskers of ±0.08 on an axis of about 0.8: each about 60 px tall in the 400 px chart.
        assertTrue(count(whiskers, text, 0, whiskers.getWidth()) > count(plain, text, 0, plain.getWidth()) + 100,
                "whiskers drawn in the text colour");
    }

    @Test
    void barsWithoutUsableDataStillRender() throws IOException {
        LinkedHashMap<String, double[]> nans = new LinkedHashMap<>();
        nans.put("acc", new double[] {Double.NaN, Double.NaN});
        BufferedImage img = read(Charts.barsPng("all missing", "length", "accuracy", List.of("1", "5"), nans), "bars-nan.png");
        assertEquals(0, count(img, BLUE, 0, img.getWidth()));
        read(Charts.barsPng(null, null, null, List.of(), new LinkedHashMap<>()), null);
        LinkedHashMap<String, double[]> mixed = new LinkedHashMap<>();
        mixed.put("ok", new double[] {0.5, -0.2, 0.1});
        mixed.put("all missing", new double[] {Double.NaN, Double.NaN});
        mixed.put("null", null);
        read(Charts.barsPng("odd input", "x", "y", java.util.Arrays.asList("a", "a", null), mixed), "bars-odd.png");
        read(Charts.barsPng("t", "x", "y", null, null), null);
    }

    @Test
    void sixShortRunsGetSixColours() throws IOException {
        BufferedImage img = read(Charts.curvesPng(comparison(120, "len1", "len5", "len20", "len50", "len100", "len150-random-init"),
                "sweep over prompt length"), "curves-six.png");
        for (int colour : new int[] {BLUE, ORANGE, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b}) {
            assertTrue(count(img, colour, 0, img.getWidth()) > 50, "missing run colour " + Integer.toHexString(colour));
        }
    }

    /** Runs noisy, decaying losses and ten rising dev evaluations each. */
    private static RunComparison comparison(int steps, String... names) {
        Random rnd = new Random(42);
        List<RunComparison.Series> loss = new java.util.ArrayList<>();
        List<RunComparison.Series> dev = new java.util.ArrayList<>();
        List<RunComparison.Row> rows = new java.util.ArrayList<>();
        int k = 0;
        for (String name : names) {
            double[] x = new double[steps];
            double[] y = new double[steps];
            for (int i = 0; i < steps; i++) {
                x[i] = i + 1;
                y[i] = (2.5 + 0.5 * k) * Math.exp(-i / (steps / 5.0)) + 0.4 + 0.3 * rnd.nextGaussian();
            }
            double[] ex = new double[10];
            double[] ey = new double[10];
            for (int i = 0; i < 10; i++) {
                ex[i] = (i + 1) * steps / 10.0;
                ey[i] = 0.5 + 0.3 * (1 - Math.exp(-i / 3.0)) - 0.04 * k;
            }
            loss.add(new RunComparison.Series(name, x, y));
            dev.add(new RunComparison.Series(name, ex, ey));
            rows.add(new RunComparison.Row(name, "vocab", 20, "t5-small", "accuracy", ey[9], ey[9], steps, 1, 10_240));
            k++;
        }
        return new RunComparison(rows, loss, dev);
    }

    private static BufferedImage read(byte[] png, String preview) throws IOException {
        assertNotNull(png);
        assertTrue(png.length > 8 && (png[0] & 0xff) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "ImageIO reads the PNG back");
        if (preview != null) {
            Path dir = Path.of(System.getProperty("prompttune.kernel.builddir", "target"), "charts-preview");
            Files.createDirectories(dir);
            Files.write(dir.resolve(preview), png);
        }
        return img;
    }

    private static int count(BufferedImage img, int rgb, int x0, int x1) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    private static int distinctColours(BufferedImage img, int x0, int x1) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                seen.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }
}
