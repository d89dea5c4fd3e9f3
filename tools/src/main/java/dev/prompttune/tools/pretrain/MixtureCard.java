package dev.prompttune.tools.pretrain;

import dev.prompttune.tools.pretrain.mix.MixtureHoldOut;
import dev.prompttune.tools.pretrain.mix.MixtureTask;
import dev.prompttune.tools.pretrain.mix.PromptabilityMixture;
import java.util.Locale;

/** The model card's section on the promptability mixture: its tasks and its hold-out rules. */
final class MixtureCard {

    private MixtureCard() {}

    static String section(PromptabilityMixture mixture, PretrainOptions options) {
        StringBuilder s = new StringBuilder();
        s.append("\n### The promptability mixture\n\n");
        // Options-first tasks: those with their own answer words, and word-present (options drawn per example).
        boolean optionsFirst = mixture.tasks().stream()
                .anyMatch(t -> !t.labels().isEmpty() || t.name().equals("word-present"));
        s.append(String.format(Locale.ROOT, "%,d passages of at most 80 words from `data/corpus` (%,d for training, %,d "
                        + "held out by document for the validation loss). Input: %shalf of the time 1–18 random frequent "
                        + "tokens (where a prompt's vectors will be), then the passage (at most %d tokens%s); target: the "
                        + "answer word and eos.%n%n", mixture.passages().size(), mixture.trainPassages(),
                mixture.heldOutPassages(), optionsFirst ? "the task's answer words, " : "", options.mixInput(),
                options.mixRecipe().keywordTask()
                        ? "; a keyword example's passage is cut to a length drawn uniformly from 12 tokens up" : ""));
        s.append("| task | share | answer words | answer says |\n|---|---|---|---|\n");
        for (MixtureTask t : mixture.tasks()) {
            s.append(String.format(Locale.ROOT, "| %s | %.1f %% | %s | %s |%n", t.name(), 100 * t.weight(),
                    t.labels().isEmpty() ? "(per example)" : String.join(", ", t.labels()), t.what()));
        }
        s.append("\nHold-out rules, checked by `MixtureHoldOut` when the mixture is built (the build stops if one "
                + "breaks) and by `MixtureHoldOutTest`: no passage shares a run of " + MixtureHoldOut.RUN
                + " normalised words with any dev or test input of any task in `data/tasks` (such passages are "
                + "dropped first), and no answer word of a classification task (a task with its own answer words or "
                + "options) is a label word of any evaluation task's verbalizer. A keyword example's answer is a word of "
                + "its own passage, so an evaluation label word (say \"science\") can be the answer where a passage "
                + "contains it, but never as one of a set of class names: no task of the mixture has an evaluation "
                + "task's label set.\n");
        if (options.mixRecipe().sourceTask()) {
            s.append("\nThe source task asks only about the sources no evaluation task classifies: "
                    + "`data/corpus/sources.txt.gz` marks every mail, the five `fortune-topic` files and the Brown "
                    + "categories of the five genres with the task that uses them, and those passages are never asked "
                    + "(`SourceTaskTest` checks each question against that file).\n");
        }
        return s.toString();
    }
}
