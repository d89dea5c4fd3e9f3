package dev.prompttune.tools.pretrain;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.EnumKeys;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.AdamW;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.Optimizer;

/**
 * The optimizers a pretraining phase can use, by their {@code --optimizer} names. Named apart from the prompt-tuning
 * spec's optimizers ({@code OptimizerKind}): the spec's {@code adafactor} is the paper's prompt-tuning variant,
 * {@code adafactor-t5} here is the one T5 was pretrained with.
 */
enum PretrainOptimizer {
    /** AdamW (0.9, 0.999, eps 1e-8, weight decay 0.01): the shipped checkpoints' optimizer. */
    ADAMW("adamw"),
    /**
     * T5's Mesh TensorFlow Adafactor: factored second moment, decay 0.8, update clipping 1, learning rate relative to
     * the parameter's RMS, no momentum, no weight decay.
     */
    ADAFACTOR_T5("adafactor-t5");

    final String key;

    PretrainOptimizer(String key) {
        this.key = key;
    }

    static PretrainOptimizer of(String key) {
        return EnumKeys.of(values(), o -> o.key, "optimizer", key);
    }

    Optimizer build(float lr, LearningRateSchedule schedule, NDManager root) {
        return switch (this) {
            case ADAMW -> AdamW.defaults(lr).withSchedule(schedule).build(root);
            case ADAFACTOR_T5 -> Adafactor.paper(lr).withScaleParameter(true).withWeightDecay(0f).withSchedule(schedule)
                    .build(root);
        };
    }
}
