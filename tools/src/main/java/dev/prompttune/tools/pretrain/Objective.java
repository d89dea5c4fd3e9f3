package dev.prompttune.tools.pretrain;

/** The pretraining objectives, with the names used in logs, options and {@code --phases}. */
public enum Objective {
    SPAN_CORRUPTION("span"), PREFIX_LM("lm"), MIXTURE("mix");

    public final String key;

    Objective(String key) {
        this.key = key;
    }
}
