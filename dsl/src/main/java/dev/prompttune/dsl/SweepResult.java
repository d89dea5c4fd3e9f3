package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.spec.FastDevRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A finished sweep: one run per grid point, in grid order, and how many times a model was loaded for it.
 * {@link #table()} pivots a two-axis grid (rows: first axis, columns: second; cells: test metric, dev when there
 * is no test), the shape of the paper's Figure 3; other grids list one line per point.
 */
public record SweepResult(List<String> axes, List<SweepSpec.Point> points, List<PromptTuneRun> runs, int modelLoads) {

    /** The run with the best dev metric (first on ties). */
    public PromptTuneRun best() {
        return runs.stream().max(Comparator.comparingDouble(r -> Double.isNaN(r.dev()) ? Double.NEGATIVE_INFINITY : r.dev()))
                .orElseThrow();
    }

    /** The run at a grid point, e.g. {@code sweep.get(length: 20, init: 'labels')}. */
    public PromptTuneRun get(Map<String, ?> values) {
        if (values == null) {
            throw new PromptTuneException("sweep.get: the point is null; allowed: a map of axis values, e.g. "
                    + "get(length: 5); axes: " + allowed());
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, String> point = points.get(i).values();
            boolean match = true;
            for (Map.Entry<String, ?> e : values.entrySet()) {
                match &= String.valueOf(e.getValue()).equals(point.get(e.getKey()));
            }
            if (match) {
                matches.add(i);
            }
        }
        if (matches.size() == 1) {
            return runs.get(matches.get(0));
        }
        if (matches.size() > 1) {
            // get(length: 2) of a length × init grid: which init was meant is not said; the first was returned.
            List<String> names = matches.stream().map(i -> points.get(i).values().toString()).toList();
            throw new PromptTuneException("sweep.get(" + values + ") matches " + matches.size() + " points " + names
                    + "; allowed: a value for each axis " + axes);
        }
        List<String> notAxes = values.keySet().stream().filter(k -> !axes.contains(k)).toList();
        throw new PromptTuneException("sweep has no point " + values + (notAxes.isEmpty() ? ""
                : " (" + String.join(", ", notAxes) + (notAxes.size() == 1 ? " is" : " are") + " not an axis: a setting with "
                        + "one value is the same in every point, and get names axes only)")
                + "; allowed: " + allowed());
    }

    /** The values each axis has, as its points name them: what get can be given. */
    private String allowed() {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (String axis : axes) {
            allowed.put(axis, new LinkedHashSet<>());
        }
        points.forEach(p -> p.values().forEach((k, v) -> allowed.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v)));
        return allowed.isEmpty() ? "no axis (a single point: get([:]))" : allowed.toString();
    }

    public RunComparison compare() {
        return RunComparison.of(runs);
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        if (axes.size() == 2) {
            if (runs.stream().anyMatch(r -> r.spec().fastDevRun())) {
                b.append(FastDevRun.BANNER).append('\n'); // compare().table() carries it otherwise
            }
            pivot(b);
        } else {
            b.append(compare().table());
        }
        Map<String, Double> baselines = new LinkedHashMap<>();
        runs.forEach(r -> r.baselines().forEach(baselines::putIfAbsent));
        if (!baselines.isEmpty() && !runs.isEmpty()) {
            b.append("baselines (").append(runs.get(0).metric()).append("):");
            baselines.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%d runs, model loaded %d time%s; records under %s%n", runs.size(), modelLoads,
                modelLoads == 1 ? "" : "s", runs.isEmpty() || runs.get(0).record() == null ? "-" : runs.get(0).record().getParent()));
        return b.toString();
    }

    private void pivot(StringBuilder b) {
        List<String> rows = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        for (SweepSpec.Point p : points) {
            String r = p.values().get(axes.get(0));
            String c = p.values().get(axes.get(1));
            if (!rows.contains(r)) {
                rows.add(r);
            }
            if (!cols.contains(c)) {
                cols.add(c);
            }
        }
        boolean test = runs.stream().noneMatch(r -> Double.isNaN(r.test()));
        String metric = runs.isEmpty() ? "" : runs.get(0).metric();
        b.append(String.format(Locale.ROOT, "%s %s by %s (rows) and %s (columns)%n", test ? "test" : "dev", metric, axes.get(0), axes.get(1)));
        b.append(String.format(Locale.ROOT, "%-12s", axes.get(0)));
        cols.forEach(c -> b.append(String.format(Locale.ROOT, " %10s", c)));
        b.append('\n');
        for (String r : rows) {
            b.append(String.format(Locale.ROOT, "%-12s", r));
            for (String c : cols) {
                String cell = "-";
                for (int i = 0; i < points.size(); i++) {
                    Map<String, String> v = points.get(i).values();
                    if (r.equals(v.get(axes.get(0))) && c.equals(v.get(axes.get(1)))) {
                        double x = test ? runs.get(i).test() : runs.get(i).dev();
                        cell = Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4f", x);
                    }
                }
                b.append(String.format(Locale.ROOT, " %10s", cell));
            }
            b.append('\n');
        }
    }

    @Override
    public String toString() {
        return table();
    }
}
