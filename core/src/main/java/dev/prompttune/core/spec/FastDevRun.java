package dev.prompttune.core.spec;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast dev run (after PyTorch Lightning's {@code fast_dev_run}): one switch that turns every prompt-tuning run, sweep
 * point and baseline into a smoke run, so that tests can re-execute whole notebooks and scripts in seconds. Its
 * numbers are not results, and everything that shows one says so.
 *
 * <p>The switch: the system property {@value #PROPERTY} or, without it, the environment variable {@value #ENV};
 * {@code 1}/{@code true} turns it on, {@code 0}/{@code false}/unset leaves it off. It is read where a spec is
 * resolved for running ({@code PromptTuning.prepare}, which runs, sweeps, baselines, predictions and ensembles all
 * pass through), and it:
 * <ul>
 *   <li>caps training at {@value #MAX_STEPS} steps (a spec given in epochs trains {@value #MAX_STEPS} steps) of at
 *       most {@value #MAX_BATCH} examples, for the prompt and for the model-tuning baseline alike;</li>
 *   <li>evaluates at least every {@value #MAX_EVAL_EVERY} steps (when the spec evaluates during training), so curves
 *       still have points;</li>
 *   <li>scores dev and test on at most {@value #MAX_EVAL_EXAMPLES} examples each, spread evenly over the split (a file
 *       sorted by label keeps its classes).</li>
 * </ul>
 * A capped spec has {@code fastDevRun = true}: its run record's {@code spec.json} ({@code "fastDevRun": true}) and
 * {@code summary.json} ({@code "fast_dev_run": true}) and every result table say so, and re-evaluating such a record
 * applies the same caps, whatever the switch says then.
 */
public final class FastDevRun {

    public static final String PROPERTY = "prompttune.fastDevRun";
    public static final String ENV = "PROMPTTUNE_FAST_DEV_RUN";
    public static final int MAX_STEPS = 2;
    /** Training examples per step (a step's cost grows with its batch; a smoke run needs no more). */
    public static final int MAX_BATCH = 4;
    public static final int MAX_EVAL_EVERY = 1;
    public static final int MAX_EVAL_EXAMPLES = 8;

    /** One line for result tables and logs. */
    public static final String BANNER = String.format(Locale.ROOT, "FAST DEV RUN (%s=1): at most %d steps of %d examples, "
            + "dev and test on at most %d examples each; these numbers are a smoke test, not a result", ENV, MAX_STEPS,
            MAX_BATCH, MAX_EVAL_EXAMPLES);

    private static final Logger LOG = LoggerFactory.getLogger(FastDevRun.class);
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    private FastDevRun() {}

    /** Whether the switch is on in this process (the property wins over the environment). */
    public static boolean enabled() {
        String property = System.getProperty(PROPERTY);
        return property != null ? parse("-D" + PROPERTY, property) : parse(ENV, System.getenv(ENV));
    }

    static boolean parse(String name, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "", "0", "false" -> false;
            case "1", "true" -> true;
            default -> throw new PromptTuneException(name + " is '" + value + "'; allowed: 1 or true (fast dev run), "
                    + "0, false or unset (real runs)");
        };
    }

    /**
     * The spec to run: {@code spec} itself when the switch is off and the spec is not a fast dev run already, else
     * {@code spec} capped and marked {@code fastDevRun}. Idempotent.
     */
    public static PromptTuneSpec apply(PromptTuneSpec spec) {
        if (!spec.fastDevRun() && !enabled()) {
            return spec;
        }
        if (ANNOUNCED.compareAndSet(false, true)) {
            LOG.warn(BANNER);
        }
        PromptTuneSpec.Builder b = spec.toBuilder().fastDevRun(true);
        if (spec.epochs() > 0 || spec.steps() > MAX_STEPS) {
            b.steps(spec.epochs() > 0 ? MAX_STEPS : Math.min(spec.steps(), MAX_STEPS)); // also clears epochs
        }
        if (spec.batch() > MAX_BATCH) {
            b.batch(MAX_BATCH);
        }
        if (spec.evalEvery() > MAX_EVAL_EVERY) {
            b.evalEvery(MAX_EVAL_EVERY);
        }
        return b.build();
    }

    /**
     * An evaluation split cut to at most {@value #MAX_EVAL_EXAMPLES} examples, evenly spaced over it (examples
     * {@code floor(i * n / MAX_EVAL_EXAMPLES)}); the split itself when it is that small already.
     */
    public static Split capEvaluation(Split split) {
        int n = split.size();
        if (n <= MAX_EVAL_EXAMPLES) {
            return split;
        }
        List<Example> kept = new ArrayList<>(MAX_EVAL_EXAMPLES);
        for (int i = 0; i < MAX_EVAL_EXAMPLES; i++) {
            kept.add(split.get((int) ((long) i * n / MAX_EVAL_EXAMPLES)));
        }
        return new Split(split.name(), split.source() + " (fast dev run: " + MAX_EVAL_EXAMPLES + " of " + n + " examples)", kept);
    }
}
