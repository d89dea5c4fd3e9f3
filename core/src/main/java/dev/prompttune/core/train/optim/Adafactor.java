package dev.prompttune.core.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adafactor (Shazeer &amp; Stern 2018) with a constant (or scheduled) learning rate, as T5X and Hugging Face run it.
 *
 * <p>Per parameter, with {@code t} the 0-based update index plus {@link Settings#stepOffset()}:
 * <pre>
 *   beta2 = 1 - (t + 1)^-decayRate                      (0 at the first update: v = g² + eps1 exactly)
 *   g2    = g² + epsilon1
 *   factored:  R = beta2 R + (1 - beta2) mean(g2 over the column dim)     [rows]
 *              C = beta2 C + (1 - beta2) mean(g2 over the row dim)        [cols]
 *              u = g / sqrt(R / mean(R)) / sqrt(C)       (row factor normalised, column factor not)
 *   otherwise: V = beta2 V + (1 - beta2) g2;  u = g / sqrt(V)
 *   u    /= max(1, rms(u) / clipThreshold)
 *   step  = lr' u,  lr' = lr * schedule(step) (* max(epsilon2, rms(param)) when scaleParameter)
 *   beta1 set: M = beta1 M + (1 - beta1) step; step = M
 *   param = param * (1 - wd') - step,  wd' = weightDecay (or weightDecay * lr' when weightDecayScaledByLr)
 * </pre>
 * A tensor is factored when it has ≥ 2 dims and both factored dims are ≥ {@link Settings#factorMinDim()}; the
 * factored dims are the last two ({@code factorLargestDims = false}, Hugging Face) or the two largest (T5X).
 */
public final class Adafactor extends Optimizer {

    private static final String NAME = "Adafactor";

    /**
     * Every hyper-parameter. Build from a preset ({@link Adafactor#paper}, {@link Adafactor#huggingFace}) and adjust
     * with the {@code with...} methods; every value is checked when the settings are made.
     *
     * @param lr base learning rate (&gt; 0)
     * @param decayRate exponent c of beta2_t = 1 - (t+1)^-c, in (0, 1] (Hugging Face writes it as -c)
     * @param epsilon1 added to the squared gradient (&gt; 0)
     * @param epsilon2 lower bound of the parameter scale, used only with {@code scaleParameter} (&gt; 0)
     * @param clipThreshold update clipping at this RMS (&gt; 0; +Infinity turns clipping off)
     * @param weightDecay decoupled weight decay (≥ 0; &lt; 1 unless scaled by lr)
     * @param weightDecayScaledByLr false: param *= (1 - wd) (T5X); true: param -= param * wd * lr (Hugging Face)
     * @param factorMinDim both factored dims must be at least this (128 in T5X, 0 in Hugging Face)
     * @param factorLargestDims factor over the two largest dims (T5X) rather than the last two (Hugging Face)
     * @param beta1 momentum on the update, or null for none (the default); in [0, 1)
     * @param stepOffset the step the counter starts at for beta2 (≥ 0; default 0)
     * @param scaleParameter multiply lr by max(epsilon2, rms(param)) (off in both presets)
     * @param schedule learning-rate multiplier per step
     */
    public record Settings(float lr, float decayRate, float epsilon1, float epsilon2, float clipThreshold,
                           float weightDecay, boolean weightDecayScaledByLr, int factorMinDim, boolean factorLargestDims,
                           Float beta1, long stepOffset, boolean scaleParameter, LearningRateSchedule schedule) {

        public Settings {
            Checks.positive(NAME, "lr", lr);
            if (!(decayRate > 0 && decayRate <= 1)) {
                throw Checks.bad(NAME, "decayRate", decayRate, "(0, 1] (the exponent c in beta2 = 1 - (t+1)^-c)");
            }
            Checks.positive(NAME, "epsilon1", epsilon1);
            Checks.positive(NAME, "epsilon2", epsilon2);
            if (!(clipThreshold > 0)) {
                throw Checks.bad(NAME, "clipThreshold", clipThreshold, "a number > 0 (Infinity = no clipping)");
            }
            if (weightDecayScaledByLr) {
                Checks.nonNegative(NAME, "weightDecay", weightDecay);
            } else {
                Checks.weightDecay(NAME, "weightDecay", weightDecay);
            }
            if (factorMinDim < 0) {
                throw Checks.bad(NAME, "factorMinDim", factorMinDim, "an integer >= 0");
            }
            if (beta1 != null) {
                Checks.unitOpen(NAME, "beta1", beta1);
            }
            if (stepOffset < 0) {
                throw Checks.bad(NAME, "stepOffset", stepOffset, "an integer >= 0");
            }
            if (schedule == null) {
                schedule = LearningRateSchedule.constant();
            }
        }

        public Settings withLr(float v) {
            return new Settings(v, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withDecayRate(float v) {
            return new Settings(lr, v, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withEpsilon1(float v) {
            return new Settings(lr, decayRate, v, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withEpsilon2(float v) {
            return new Settings(lr, decayRate, epsilon1, v, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withClipThreshold(float v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, v, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withWeightDecay(float v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, v, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withWeightDecayScaledByLr(boolean v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, v,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withFactorMinDim(int v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    v, factorLargestDims, beta1, stepOffset, scaleParameter, schedule);
        }

        public Settings withFactorLargestDims(boolean v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, v, beta1, stepOffset, scaleParameter, schedule);
        }

        /** Momentum on the update; null turns it off. */
        public Settings withBeta1(Float v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, v, stepOffset, scaleParameter, schedule);
        }

        public Settings withStepOffset(long v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, v, scaleParameter, schedule);
        }

        public Settings withScaleParameter(boolean v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, v, schedule);
        }

        public Settings withSchedule(LearningRateSchedule v) {
            return new Settings(lr, decayRate, epsilon1, epsilon2, clipThreshold, weightDecay, weightDecayScaledByLr,
                    factorMinDim, factorLargestDims, beta1, stepOffset, scaleParameter, v);
        }

        /** A new optimizer with these settings; its state lives in a sub-manager of {@code parent}. */
        public Adafactor build(NDManager parent) {
            return new Adafactor(parent, this);
        }

        /** For run records, in a fixed order. */
        public Map<String, Object> asMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("lr", lr);
            out.put("decayRate", decayRate);
            out.put("epsilon1", epsilon1);
            out.put("epsilon2", epsilon2);
            out.put("clipThreshold", clipThreshold);
            out.put("weightDecay", weightDecay);
            out.put("weightDecayScaledByLr", weightDecayScaledByLr);
            out.put("factorMinDim", factorMinDim);
            out.put("factorLargestDims", factorLargestDims);
            out.put("beta1", beta1 == null ? "off" : beta1);
            out.put("stepOffset", stepOffset);
            out.put("scaleParameter", scaleParameter);
            out.put("schedule", schedule.toString());
            return out;
        }
    }

    /**
     * T5X Adafactor as the prompt-tuning paper ran it: decay rate 0.8, epsilon1 1e-30, no momentum, update clipping
     * at RMS 1, no parameter scaling, weight decay 1e-5 as param *= (1 - 1e-5) (not scaled by lr), second moment
     * factored only when the two largest dims are both ≥ 128, step counter from 0.
     */
    public static Settings paper(float lr) {
        return new Settings(lr, 0.8f, 1e-30f, 1e-3f, 1f, 1e-5f, false, 128, true, null, 0, false,
                LearningRateSchedule.constant());
    }

    /**
     * {@code transformers.optimization.Adafactor(lr, scale_parameter=False, relative_step=False, warmup_init=False)}:
     * eps (1e-30, 1e-3), clip_threshold 1, decay_rate -0.8 (here 0.8), beta1 None, weight_decay 0 (lr-scaled when
     * set), every tensor with ≥ 2 dims factored over its last two dims, step counted from 1.
     */
    public static Settings huggingFace(float lr) {
        return new Settings(lr, 0.8f, 1e-30f, 1e-3f, 1f, 0f, true, 0, false, null, 0, false,
                LearningRateSchedule.constant());
    }

    private final Settings settings;

    public Adafactor(NDManager parent, Settings settings) {
        super(NAME, parent, settings.lr(), settings.schedule());
        this.settings = settings;
    }

    public Settings config() {
        return settings;
    }

    /**
     * The two dims a tensor of this shape is factored over (ascending), or null when its second moment is kept in
     * full.
     */
    public int[] factoredDims(Shape shape) {
        int rank = shape.dimension();
        if (rank < 2) {
            return null;
        }
        int a;
        int b;
        if (settings.factorLargestDims()) {
            Integer[] order = new Integer[rank];
            for (int i = 0; i < rank; i++) {
                order[i] = i;
            }
            // Stable ascending sort by size: on ties the later dims count as larger.
            Arrays.sort(order, Comparator.comparingLong(shape::get));
            a = Math.min(order[rank - 2], order[rank - 1]);
            b = Math.max(order[rank - 2], order[rank - 1]);
        } else {
            a = rank - 2;
            b = rank - 1;
        }
        if (Math.min(shape.get(a), shape.get(b)) < settings.factorMinDim()) {
            return null;
        }
        return new int[] {a, b};
    }

    /** Whether a tensor of this shape gets a factored second moment. */
    public boolean isFactored(Shape shape) {
        return factoredDims(shape) != null;
    }

    @Override
    protected NDArray[] createState(Shape shape, NDArray like) {
        int[] dims = factoredDims(shape);
        NDArray[] second;
        if (dims == null) {
            second = new NDArray[] {zeros(shape, like)};
        } else {
            second = new NDArray[] {zeros(without(shape, dims[1]), like), zeros(without(shape, dims[0]), like)};
        }
        if (settings.beta1() == null) {
            return second;
        }
        NDArray[] out = Arrays.copyOf(second, second.length + 1);
        out[second.length] = zeros(shape, like);
        return out;
    }

    private static Shape without(Shape shape, int dim) {
        long[] dims = new long[shape.dimension() - 1];
        for (int i = 0, j = 0; i < shape.dimension(); i++) {
            if (i != dim) {
                dims[j++] = shape.get(i);
            }
        }
        return new Shape(dims);
    }

    /** beta2 for the update with 1-based count {@code t} (before the step offset). */
    public float beta2(long t) {
        double step = (double) (t - 1 + settings.stepOffset()) + 1.0;
        return (float) (1.0 - Math.pow(step, -settings.decayRate()));
    }

    @Override
    protected void update(NDArray param, NDArray grad, NDArray[] state, float lr, long t) {
        float beta2 = beta2(t);
        float mix = 1f - beta2;
        NDArray g2 = grad.square().addi(settings.epsilon1());
        int[] dims = factoredDims(param.getShape());
        NDArray u;
        if (dims == null) {
            NDArray v = state[0];
            v.muli(beta2).addi(g2.muli(mix));
            u = grad.div(v.sqrt());
        } else {
            int a = dims[0];
            int b = dims[1];
            NDArray row = state[0]; // shape without b: indexed by a
            NDArray col = state[1]; // shape without a: indexed by b
            row.muli(beta2).addi(g2.mean(new int[] {b}).muli(mix));
            col.muli(beta2).addi(g2.mean(new int[] {a}).muli(mix));
            NDArray rowFactor = row.div(row.mean(new int[] {a}, true)).sqrt().expandDims(b);
            NDArray colFactor = col.sqrt().expandDims(a);
            u = grad.div(rowFactor).divi(colFactor);
        }
        if (!Float.isInfinite(settings.clipThreshold())) {
            NDArray rms = u.square().mean().sqrt();
            u.divi(rms.divi(settings.clipThreshold()).maximum(1f));
        }
        NDArray lrScale = null;
        if (settings.scaleParameter()) {
            lrScale = param.square().mean().sqrt().maximum(settings.epsilon2()).muli(lr);
            u.muli(lrScale);
        } else {
            u.muli(lr);
        }
        if (settings.beta1() != null) {
            float beta1 = settings.beta1();
            NDArray m = state[state.length - 1];
            m.muli(beta1).addi(u.muli(1f - beta1));
            u = m;
        }
        float wd = settings.weightDecay();
        if (wd != 0) {
            if (!settings.weightDecayScaledByLr()) {
                param.muli(1f - wd);
            } else if (lrScale != null) {
                param.subi(param.mul(lrScale).muli(wd));
            } else {
                param.subi(param.mul(wd * lr));
            }
        }
        param.subi(u);
    }

    @Override
    public Map<String, Object> settings() {
        return settings.asMap();
    }
}
