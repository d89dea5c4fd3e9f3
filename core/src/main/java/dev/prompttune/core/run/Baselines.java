package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.eval.Metrics;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.prompt.EncoderInput;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.Trainer;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.core.train.optim.Adafactor;
import dev.prompttune.core.train.optim.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baselines a prompt is compared with, each computed here only, on the context's target split (test, else dev):
 * {@code design} (the frozen model with the template alone), {@code majority} (always the most frequent training
 * class) and {@code modelTuning} (every weight of a fresh copy of the model trained on the same data, steps and batch,
 * Adafactor at 1e-3). A run's baselines ({@code baselines} in a spec) and a baseline on its own ({@code baseline(...)})
 * both come from here.
 */
public final class Baselines {

    private static final Logger LOG = LoggerFactory.getLogger(Baselines.class);

    /** Model tuning's learning rate: Adafactor at 1e-3, the usual fine-tuning rate for T5 (the paper's 0.3 is for prompts). */
    static final float MODEL_TUNING_LR = 1e-3f;

    /**
     * The prompt's own keywords (its run's name among them): no baseline depends on them, so a sweep over them scores
     * its baselines once, and a baseline block refuses them.
     */
    public static final List<String> PROMPT_SETTINGS = List.of("name", "length", "init", "placement", "optimizer", "lr",
            "weightDecay", "schedule", "reparam", "reparamBottleneck");

    /**
     * The keywords no baseline uses: the prompt's own ({@link #PROMPT_SETTINGS}; its optimizer too: model tuning
     * trains at Adafactor's {@link #MODEL_TUNING_LR}), the run record's ({@code save}, {@code baselines}; a baseline
     * keeps no record), and {@code cluster} (model tuning trains in this process). A baseline block that sets one is
     * refused: it would be ignored, and the result read as if it had counted.
     */
    public static final List<String> PROMPT_ONLY_SETTINGS = java.util.stream.Stream.concat(PROMPT_SETTINGS.stream(),
            java.util.stream.Stream.of("save", "baselines", "cluster")).toList();

    private Baselines() {}

    /**
     * Refuses a baseline block that sets a keyword the baseline does not use ({@link #PROMPT_ONLY_SETTINGS}).
     *
     * @param given the keywords the block sets, in order
     */
    public static void requireUsed(String kind, java.util.Collection<String> given) {
        List<String> unused = given.stream().filter(PROMPT_ONLY_SETTINGS::contains).distinct().toList();
        if (!unused.isEmpty()) {
            throw new PromptTuneException(unusedMessage(kind, unused));
        }
    }

    /** What a baseline block that sets {@code unused} is told (a script's checks say it at each keyword's line). */
    public static String unusedMessage(String kind, List<String> unused) {
        return "baseline '" + kind + "' does not use " + String.join(", ", unused) + ": "
                + (unused.size() == 1 ? "it is a prompt or run-record setting" : "they are prompt or run-record settings")
                + " (a baseline trains no prompt and keeps no record; model tuning trains every weight with Adafactor at "
                + MODEL_TUNING_LR + ", in this process); allowed in a baseline block: the task, model and scoring settings "
                + "(data, template, labels, metric, calibrate, …) and the training loop's (steps, batch, seed, …); "
                + "or set them in promptTune { … baselines '" + kind + "' }";
    }

    /** One baseline's result: the metric, and the uncalibrated one when the spec calibrates (else NaN). */
    public record Result(String kind, double value, double uncalibrated, ScoredSplit scored) {}

    /**
     * The baselines {@code kinds} asks for, in order.
     *
     * @param listeners progress of the model-tuning run (not the prompt run's record)
     * @param runName the name a model-tuning run trains under
     */
    public static Map<String, Result> all(ExperimentContext ctx, List<String> kinds, List<TrainingListener> listeners,
                                          String runName) {
        Map<String, Result> out = new LinkedHashMap<>();
        for (String kind : kinds) {
            out.put(kind, of(kind, ctx, listeners, runName));
        }
        return out;
    }

    /** One baseline by name ({@link PromptTuneSpec#BASELINES}). */
    public static Result of(String kind, ExperimentContext ctx, List<TrainingListener> listeners, String runName) {
        return switch (kind) {
            case "design" -> scored(kind, ctx.scorer().score(EncoderInput.plain(), ctx.target()));
            case "majority" -> new Result(kind, majority(ctx), Double.NaN, null);
            case "modelTuning" -> scored(kind, modelTuning(ctx, listeners, runName));
            default -> throw new PromptTuneException("baseline '" + kind + "' is not known; allowed: "
                    + String.join(", ", PromptTuneSpec.BASELINES));
        };
    }

    private static Result scored(String kind, ScoredSplit s) {
        return new Result(kind, s.value(), s.uncalibrated(), s);
    }

    /** Always predicting the most frequent training class (the lowest class index among ties). */
    static double majority(ExperimentContext ctx) {
        int classes = ctx.classTargets().length;
        int best = Metrics.mostFrequentClass(ctx.arrays().train().classes(), classes);
        TokenizedTask target = ctx.target();
        int[] predicted = new int[target.size()];
        Arrays.fill(predicted, best);
        return Metric.of(ctx.metric()).score(target.classes(), predicted, classes);
    }

    /** Every weight of a fresh copy of the model trained with the spec's loop, then scored without a prompt. */
    static ScoredSplit modelTuning(ExperimentContext ctx, List<TrainingListener> listeners, String runName) {
        PromptTuneSpec spec = ctx.spec();
        TaskArrays arrays = ctx.arrays();
        Session session = ctx.session();
        if (spec.cluster() != null) {
            // The cluster backend distributes prompt gradients; a whole model's are trained here, by this process.
            LOG.info("{}: the modelTuning baseline trains in this process, not on cluster '{}' (the cluster trains prompts)",
                    runName, spec.cluster().master());
        }
        try (T5Model copy = session.freshModel(ctx.prepared().modelDir(), spec.precision(), spec.device());
             Optimizer optimizer = Adafactor.paper(MODEL_TUNING_LR).build(session.manager())) {
            copy.setTrainable(true);
            Trainer trainer = new Trainer(copy, Trainable.model(copy), optimizer, ctx.trainingSettings(), ctx.metric(), listeners);
            Scorer scorer = ctx.scorer(copy);
            if (arrays.dev() != null) {
                trainer.withDevEvaluator(input -> scorer.value(input, arrays.dev()));
            }
            trainer.run(runName, arrays.train(), arrays.dev(), session.manager());
            return scorer.score(EncoderInput.plain(), ctx.target());
        }
    }
}
