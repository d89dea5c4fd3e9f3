package dev.prompttune.core.train.optim;

import dev.prompttune.core.EnumKeys;
import java.util.List;

/**
 * The prompt-tuning optimizers, by their names in specs and records ({@link #key()}), each with the weight decay a
 * spec gets when it sets none, and how it is built.
 */
public enum OptimizerKind {
    /** The paper's Adafactor (Mesh TensorFlow's: no parameter scaling, decay rate 0.8, clipping 1), weight decay 1e-5. */
    ADAFACTOR("adafactor", 1e-5),
    /** Hugging Face's Adafactor (PEFT's examples), no weight decay by default. */
    ADAFACTOR_HF("adafactor-hf", 0.0),
    /** AdamW (0.9, 0.999, eps 1e-8), weight decay 0.01 by default. */
    ADAMW("adamw", 0.01);

    private final String key;
    private final double defaultWeightDecay;

    OptimizerKind(String key, double defaultWeightDecay) {
        this.key = key;
        this.defaultWeightDecay = defaultWeightDecay;
    }

    public String key() {
        return key;
    }

    /** The weight decay of a spec that sets none. */
    public double defaultWeightDecay() {
        return defaultWeightDecay;
    }

    public static List<String> keys() {
        return EnumKeys.keys(values(), OptimizerKind::key);
    }

    /** The optimizer named {@code key}; a clear error naming the allowed ones otherwise. */
    public static OptimizerKind of(String key) {
        return EnumKeys.of(values(), OptimizerKind::key, "optimizer", key);
    }

    /** This optimizer at peak learning rate {@code lr} with {@code weightDecay} and {@code schedule}. */
    public Optimizer build(float lr, float weightDecay, LearningRateSchedule schedule, ai.djl.ndarray.NDManager root) {
        return switch (this) {
            case ADAFACTOR -> Adafactor.paper(lr).withWeightDecay(weightDecay).withSchedule(schedule).build(root);
            case ADAFACTOR_HF -> Adafactor.huggingFace(lr).withWeightDecay(weightDecay).withSchedule(schedule).build(root);
            case ADAMW -> AdamW.defaults(lr).withWeightDecay(weightDecay).withSchedule(schedule).build(root);
        };
    }
}
