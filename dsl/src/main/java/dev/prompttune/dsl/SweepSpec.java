package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.TextInit;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code sweep { … }} block: every {@code promptTune} keyword, and for the keywords that make sense as a grid
 * axis, several values at once. The sweep runs every combination (first axis outermost) in one session, so the
 * frozen model is loaded once for the whole grid.
 *
 * <pre>
 * sweep {
 *     model 't5-mini-ppmi'; data 'spam'; steps 200
 *     length 1, 5, 20, 100
 *     init 'random', 'vocab', 'labels'
 * }
 * </pre>
 *
 * Every value is validated on its line, as in {@code promptTune}.
 */
public final class SweepSpec extends TuneSpec {

    /** One grid axis: the keyword, its values as written, and how each value sets a spec. */
    public record Axis(String keyword, List<String> labels, List<BiConsumer<TuneSpec, Integer>> setters) {}

    private final Map<String, Axis> axes = new LinkedHashMap<>();
    /** The block's {@code name} (a field not named as a keyword: the block's code would read it as one). */
    private String sweepName;

    public SweepSpec() {}

    /** The axes in the order the block gave them. */
    public List<Axis> axes() {
        return List.copyOf(axes.values());
    }

    /**
     * Every grid point's spec, first axis outermost: the block's fixed settings replayed, then the point's axis
     * values. Names: the block's {@code name} plus the point's values, or the default DATA-INIT-LENGTH plus the
     * values of any other axes.
     */
    public List<Point> points() {
        List<Point> out = new ArrayList<>();
        List<Axis> list = axes();
        int[] index = new int[list.size()];
        while (true) {
            TuneSpec point = new TuneSpec();
            Map<String, String> values = new LinkedHashMap<>();
            for (int a = 0; a < list.size(); a++) {
                Axis axis = list.get(a);
                axis.setters().get(index[a]).accept(point, index[a]);
                values.put(axis.keyword(), axis.labels().get(index[a]));
            }
            PromptTuneSpec.Builder b = replay();
            point.replayOnto(b);
            if (sweepName != null) {
                List<String> parts = values.values().stream().map(SweepSpec::namePart).toList();
                b.name(values.isEmpty() ? sweepName : sweepName + "-" + String.join("-", parts));
            } else {
                StringBuilder suffix = new StringBuilder();
                values.forEach((k, v) -> {
                    if (k.equals("init") && (v.startsWith("file('") || v.startsWith("text('"))) {
                        suffix.append('-').append(namePart(v)); // the default name says "file" or "text", not which
                    } else if (!k.equals("length") && !k.equals("init")) {
                        suffix.append('-').append(k).append(v.replaceAll("[^A-Za-z0-9._]", "_"));
                    }
                });
                b.name(b.build().name() + suffix);
            }
            out.add(new Point(Collections.unmodifiableMap(values), b.build()));
            int a = list.size() - 1;
            while (a >= 0 && ++index[a] == list.get(a).labels().size()) {
                index[a] = 0;
                a--;
            }
            if (a < 0) {
                return out;
            }
        }
    }

    /** One grid point: its axis values (keyword → value as written) and its spec. */
    public record Point(Map<String, String> values, PromptTuneSpec spec) {}

    /** The sweep's name: each point is NAME-value-value…. */
    @Override
    public TuneSpec name(String v) {
        super.name(v);
        sweepName = v;
        return this;
    }

    public SweepSpec model(String first, String... more) {
        return axis("model", list(first, more), TuneSpec::model);
    }

    public SweepSpec length(int first, int... more) {
        List<Integer> values = new ArrayList<>();
        values.add(first);
        for (int m : more) {
            values.add(m);
        }
        return axis("length", values, TuneSpec::length);
    }

    /** Init values: {@code 'random'}, {@code 'vocab'}, {@code 'labels'}, {@code text('…')}, {@code file('…')}. */
    public SweepSpec init(Object first, Object... more) {
        List<PromptInit> values = new ArrayList<>();
        String firstRefusal = null;
        List<String> alsoRefused = new ArrayList<>();
        for (Object o : list(first, more)) {
            try {
                if (o instanceof PromptInit p) {
                    values.add(p);
                } else if (o instanceof CharSequence s) {
                    values.add(PromptInit.parse(s.toString()));
                } else {
                    throw new PromptTuneException("init value " + o + " is not known; allowed: random, vocab, labels, "
                            + "text('…'), file('…')");
                }
            } catch (PromptTuneException e) {
                // Every bad value at once, as axis() does for the others: `init 'rand', 'vocb'` named 'rand' only.
                if (firstRefusal == null) {
                    firstRefusal = e.getMessage();
                } else {
                    alsoRefused.add("'" + o + "'");
                }
            }
        }
        if (firstRefusal != null) {
            throw refusedTogether(firstRefusal, alsoRefused);
        }
        return axis("init", values, TuneSpec::init);
    }

    public SweepSpec placement(String first, String... more) {
        return axis("placement", list(first, more), TuneSpec::placement);
    }

    public SweepSpec data(String first, String... more) {
        return axis("data", list(first, more), TuneSpec::data);
    }

    public SweepSpec template(String first, String... more) {
        return axis("template", list(first, more), TuneSpec::template);
    }

    public SweepSpec optimizer(String first, String... more) {
        return axis("optimizer", list(first, more), TuneSpec::optimizer);
    }

    public SweepSpec lr(Number first, Number... more) {
        return axis("lr", doubles(first, more), TuneSpec::lr);
    }

    public SweepSpec weightDecay(Number first, Number... more) {
        return axis("weightDecay", doubles(first, more), TuneSpec::weightDecay);
    }

    public SweepSpec schedule(String first, String... more) {
        return axis("schedule", list(first, more), TuneSpec::schedule);
    }

    public SweepSpec batch(int first, int... more) {
        return axis("batch", ints(first, more), TuneSpec::batch);
    }

    public SweepSpec steps(int first, int... more) {
        return axis("steps", ints(first, more), TuneSpec::steps);
    }

    public SweepSpec seed(Number first, Number... more) {
        List<Long> values = new ArrayList<>();
        for (Number n : list(first, more)) {
            if (n.longValue() != n.doubleValue()) {
                throw new PromptTuneException("seed is " + n + "; allowed: a whole number");
            }
            values.add(n.longValue());
        }
        return axis("seed", values, TuneSpec::seed);
    }

    public SweepSpec dropout(Number first, Number... more) {
        return axis("dropout", doubles(first, more), TuneSpec::dropout);
    }

    public SweepSpec precision(String first, String... more) {
        return axis("precision", list(first, more), TuneSpec::precision);
    }

    public SweepSpec evaluation(String first, String... more) {
        return axis("evaluation", list(first, more), TuneSpec::evaluation);
    }

    /** {@code calibrate true, false}: one run per setting (each run also reports its uncalibrated scores). */
    public SweepSpec calibrate(boolean first, boolean... more) {
        List<Boolean> values = new ArrayList<>();
        values.add(first);
        for (boolean m : more) {
            values.add(m);
        }
        return axis("calibrate", values, TuneSpec::calibrate);
    }

    /** {@code loss 'sequence', 'classes'}: the paper's loss against cross-entropy over the classes. */
    public SweepSpec loss(String first, String... more) {
        return axis("loss", list(first, more), TuneSpec::loss);
    }

    /** {@code reparam 'none', 'residual'}: plain against Residual Prompt Tuning. */
    public SweepSpec reparam(String first, String... more) {
        return axis("reparam", list(first, more), TuneSpec::reparam);
    }

    public SweepSpec reparamBottleneck(int first, int... more) {
        return axis("reparamBottleneck", ints(first, more), TuneSpec::reparamBottleneck);
    }

    /**
     * Adds an axis; each value is tried on a scratch spec now, so a bad value fails on its line. A keyword given
     * twice replaces its axis; a single value is a fixed setting.
     */
    private <T> SweepSpec axis(String keyword, List<T> values, BiConsumer<TuneSpec, T> apply) {
        if (values.size() == 1) {
            // One value is a fixed setting, not an axis.
            axes.remove(keyword);
            apply.accept(this, values.get(0));
            return this;
        }
        List<String> labels = new ArrayList<>();
        List<BiConsumer<TuneSpec, Integer>> setters = new ArrayList<>();
        String firstRefusal = null;
        List<String> alsoRefused = new ArrayList<>();
        for (T v : values) {
            try {
                apply.accept(new TuneSpec(), v); // validates
            } catch (PromptTuneException e) {
                // Every bad value of the list at once: `length 5, 0, -2` named 0 only.
                if (firstRefusal == null) {
                    firstRefusal = e.getMessage();
                } else {
                    alsoRefused.add(label(v));
                }
                continue;
            }
            labels.add(label(v));
            setters.add((spec, i) -> apply.accept(spec, v));
        }
        if (firstRefusal != null) {
            throw refusedTogether(firstRefusal, alsoRefused);
        }
        if (labels.size() != new HashSet<>(labels).size()) {
            throw new PromptTuneException(keyword + " lists a value twice: " + labels);
        }
        axes.put(keyword, new Axis(keyword, List.copyOf(labels), List.copyOf(setters)));
        return this;
    }

    /** The first bad value's message, naming the list's other bad values after it. */
    private static PromptTuneException refusedTogether(String firstRefusal, List<String> alsoRefused) {
        return new PromptTuneException(alsoRefused.isEmpty() ? firstRefusal
                : firstRefusal + " (and " + String.join(", ", alsoRefused) + " in the same list: refused too)");
    }

    /**
     * A value as the sweep's points name it: as written, and for an init its kind, or the call itself for a file or
     * a text ({@code file('a.safetensors')}), so that two files are two values; {@code sweep.get(init: file('a.safetensors'))}
     * finds its point (the inits' {@code toString} is the same).
     */
    private static String label(Object v) {
        if (v instanceof FileInit || v instanceof TextInit) {
            return v.toString();
        }
        if (v instanceof PromptInit p) {
            return p.kind();
        }
        return String.valueOf(v);
    }

    /**
     * A value as part of a run name, which may hold no path separator: a path's last element, a file or text init's
     * argument (without the call), other characters than letters, digits, '.', '_' and '-' as '_'.
     */
    private static String namePart(String label) {
        String v = label.startsWith("file('") || label.startsWith("text('") ? label.substring(6, label.length() - 2) : label;
        v = v.replaceFirst("^.*[/\\\\](?=.)", "");
        return v.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @SafeVarargs
    private static <T> List<T> list(T first, T... more) {
        List<T> out = new ArrayList<>();
        out.add(first);
        Collections.addAll(out, more);
        return out;
    }

    private static List<Integer> ints(int first, int... more) {
        List<Integer> out = new ArrayList<>();
        out.add(first);
        for (int m : more) {
            out.add(m);
        }
        return out;
    }

    private static List<Double> doubles(Number first, Number... more) {
        List<Double> out = new ArrayList<>();
        for (Number n : list(first, more)) {
            out.add(n.doubleValue());
        }
        return out;
    }
}
