package dev.prompttune.core.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter) with {@code torch.optim.AdamW} semantics, per parameter with {@code t} its 1-based
 * update count and {@code lr} the scheduled learning rate:
 * <pre>
 *   param *= 1 - lr * weightDecay
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g²
 *   param -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 */
public final class AdamW extends Optimizer {

    private static final String NAME = "AdamW";

    /**
     * @param lr base learning rate (&gt; 0)
     * @param beta1 first-moment decay in [0, 1) (0.9)
     * @param beta2 second-moment decay in [0, 1) (0.999)
     * @param epsilon added to the bias-corrected sqrt(v) (&gt; 0; 1e-8)
     * @param weightDecay decoupled, multiplied by lr (≥ 0; 0.01)
     * @param schedule learning-rate multiplier per step
     */
    public record Settings(float lr, float beta1, float beta2, float epsilon, float weightDecay,
                           LearningRateSchedule schedule) {

        public Settings {
            Checks.positive(NAME, "lr", lr);
            Checks.unitOpen(NAME, "beta1", beta1);
            Checks.unitOpen(NAME, "beta2", beta2);
            Checks.positive(NAME, "epsilon", epsilon);
            Checks.nonNegative(NAME, "weightDecay", weightDecay);
            if (schedule == null) {
                schedule = LearningRateSchedule.constant();
            }
        }

        public Settings withLr(float v) {
            return new Settings(v, beta1, beta2, epsilon, weightDecay, schedule);
        }

        public Settings withBetas(float b1, float b2) {
            return new Settings(lr, b1, b2, epsilon, weightDecay, schedule);
        }

        public Settings withEpsilon(float v) {
            return new Settings(lr, beta1, beta2, v, weightDecay, schedule);
        }

        public Settings withWeightDecay(float v) {
            return new Settings(lr, beta1, beta2, epsilon, v, schedule);
        }

        public Settings withSchedule(LearningRateSchedule v) {
            return new Settings(lr, beta1, beta2, epsilon, weightDecay, v);
        }

        public AdamW build(NDManager parent) {
            return new AdamW(parent, this);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("lr", lr);
            out.put("beta1", beta1);
            out.put("beta2", beta2);
            out.put("epsilon", epsilon);
            out.put("weightDecay", weightDecay);
            out.put("weightDecayScaledByLr", true);
            out.put("schedule", schedule.toString());
            return out;
        }
    }

    /** betas (0.9, 0.999), eps 1e-8, weight decay 0.01 (torch's defaults), constant schedule. */
    public static Settings defaults(float lr) {
        return new Settings(lr, 0.9f, 0.999f, 1e-8f, 0.01f, LearningRateSchedule.constant());
    }

    private final Settings settings;

    public AdamW(NDManager parent, Settings settings) {
        super(NAME, parent, settings.lr(), settings.schedule());
        this.settings = settings;
    }

    public Settings config() {
        return settings;
    }

    @Override
    protected NDArray[] createState(Shape shape, NDArray like) {
        return new NDArray[] {zeros(shape, like), zeros(shape, like)};
    }

    @Override
    protected void update(NDArray param, NDArray grad, NDArray[] state, float lr, long t) {
        float b1 = settings.beta1();
        float b2 = settings.beta2();
        double bc1 = 1.0 - Math.pow(b1, t);
        double bc2 = 1.0 - Math.pow(b2, t);
        if (settings.weightDecay() != 0) {
            param.muli(1f - lr * settings.weightDecay());
        }
        NDArray m = state[0];
        NDArray v = state[1];
        m.muli(b1).addi(grad.mul(1f - b1));
        v.muli(b2).addi(grad.square().muli(1f - b2));
        NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi(settings.epsilon());
        param.subi(m.div(denom).muli((float) (lr / bc1)));
    }

    @Override
    public Map<String, Object> settings() {
        return settings.asMap();
    }
}
