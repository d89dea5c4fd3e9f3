package dev.prompttune.tools.pretrain.mix;

import dev.prompttune.core.EnumKeys;
import java.util.Locale;

/**
 * The shares of the promptability mixture's tasks; what is left after the named shares goes to the k-means group
 * tasks (none when nothing is left).
 */
public enum MixtureRecipe {
    /**
     * Options-first classification in the shape of a label-initialised prompt, plus BART-style reconstruction
     * (builds 1 and 2 of models/README.md, Promptability: neither gave a promptable model).
     */
    OPTIONS(0.40, 0.10, 0.25, 0.05, 0.05, 0.0, 0.0, 0.0, 0.0, 0.0),
    /** Mostly the {@link KeywordTask}: answer with a topical word of the passage; span corruption keeps the rest. */
    KEYWORDS(0.0, 0.30, 0.0, 0.0, 0.0, 0.70, 0.0, 0.0, 0.0, 0.0),
    /** Only the keyword task (a diagnostic: can the model learn to read its input at all?). */
    KEYWORDS_ONLY(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0),
    /**
     * The keyword task, its answer word taken out of the input half of the time: then the decoder cannot copy and
     * has to infer the word from the rest, as a classifier's label word is rarely in its input either (build e12 of
     * models/README.md: not better overall).
     */
    KEYWORDS_HALF_MISSING(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0),
    /**
     * The keyword task (reading) with the {@link TopicTask} (choose the option that names the passage's topic, a
     * word it need not contain): the shape of a label-initialised prompt on a topic-classification task.
     */
    KEYWORDS_TOPICS(0.0, 0.0, 0.0, 0.0, 0.0, 0.6, 0.0, 0.4, 0.0, 0.0),
    /**
     * The keyword task (reading, copying) with the missing-word choice (options first; the answer is a word taken
     * out of the passage, the other options words it does not contain): inferring a word from the rest of a text
     * and choosing it among words in front of the text, as a label-initialised prompt asks.
     */
    KEYWORDS_CHOICE(0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0),
    /** The keyword task with both option tasks: topic names and the missing word. */
    KEYWORDS_TOPICS_CHOICE(0.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0, 0.3, 0.3, 0.0),
    /**
     * Both option tasks ahead of the keyword task, named in order of share: the topic choice keeps
     * {@link #KEYWORDS_TOPICS}' 40 % (what lifted the genre task), the missing-word choice takes 30 % (what kept
     * the quickstart's hand-written e-mails right in {@link #KEYWORDS_TOPICS_CHOICE}), the keyword task the rest.
     */
    TOPICS_CHOICE_KEYWORDS(0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0.4, 0.3, 0.0),
    /**
     * {@link #KEYWORDS_TOPICS} with the source task beside the topic choice: which of 2-5 options names the fortune
     * file or Brown category a passage comes from, among the sources no evaluation task classifies (law, food,
     * sports, lore, …): the question the fortune and genre tasks ask, with other names.
     */
    KEYWORDS_TOPICS_SOURCES(0.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0, 0.3, 0.0, 0.3),
    /**
     * {@link #KEYWORDS_TOPICS} giving up a little of each share to the missing-word choice (15 %): the corner the
     * builds with 30 % missing word (which lost the genre lift, models/README.md) left untested.
     */
    KEYWORDS_TOPICS_LITTLE_CHOICE(0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.35, 0.15, 0.0),
    /**
     * Half way from {@link #KEYWORDS_TOPICS_LITTLE_CHOICE} back to {@link #KEYWORDS_TOPICS}: a pinch (8 %) of the
     * missing-word choice, keywords 55 %, topics 37 %.
     */
    KEYWORDS_TOPICS_PINCH_CHOICE(0.0, 0.0, 0.0, 0.0, 0.0, 0.55, 0.0, 0.37, 0.08, 0.0);

    final double reconstruct;
    final double span;
    final double present;
    final double shuffled;
    final double sameDocument;
    final double keywords;
    /** The share of keyword examples whose answer word is removed from the input. */
    final double hideAnswer;
    final double topics;
    /** The share of missing-word choice examples. */
    final double choice;
    /** The share of source-task examples ({@link TopicTask#ofSources}). */
    final double sources;

    MixtureRecipe(double reconstruct, double span, double present, double shuffled, double sameDocument, double keywords,
                  double hideAnswer, double topics, double choice, double sources) {
        this.reconstruct = reconstruct;
        this.span = span;
        this.present = present;
        this.shuffled = shuffled;
        this.sameDocument = sameDocument;
        this.keywords = keywords;
        this.hideAnswer = hideAnswer;
        this.topics = topics;
        this.choice = choice;
        this.sources = sources;
    }

    /** Whether the recipe trains on the {@link KeywordTask} (the shipped models' recipes). */
    public boolean keywordTask() {
        return keywords > 0;
    }

    /** Whether the recipe asks the source task (it needs the corpus's {@link DocumentSources}). */
    public boolean sourceTask() {
        return sources > 0;
    }

    /** The keyword-family tasks of this recipe in words, with their shares, for the model card. */
    public String keywordTasksText() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (keywords > 0) {
            parts.add(String.format(Locale.ROOT, "the keyword task (read a passage, answer with one of its topical "
                    + "words%s; %.0f %%)", hideAnswer > 0 ? ", taken out of the passage " + Math.round(100 * hideAnswer)
                    + " % of the time" : "", 100 * keywords));
        }
        if (choice > 0) {
            parts.add(String.format(Locale.ROOT, "the missing-word choice (2-5 options, then the passage without one "
                    + "of its content words; answer: that word; %.0f %%)", 100 * choice));
        }
        if (topics > 0) {
            parts.add(String.format(Locale.ROOT, "the topic choice (2-5 options naming k-means topics, then the "
                    + "passage; answer: its topic's name; %.0f %%)", 100 * topics));
        }
        if (sources > 0) {
            parts.add(String.format(Locale.ROOT, "the source choice (2-5 options naming fortune files and Brown "
                    + "categories that no evaluation task uses, then the passage; answer: its source's name; %.0f %%)",
                    100 * sources));
        }
        if (span > 0) {
            parts.add(String.format(Locale.ROOT, "span corruption (%.0f %%)", 100 * span));
        }
        return String.join(" and ", parts);
    }

    /** The share left to the k-means group tasks. */
    double groups() {
        return Math.max(0, 1 - reconstruct - span - present - shuffled - sameDocument - keywords - topics - choice
                - sources);
    }

    /** The name used on the command line and in the model card. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The recipe named {@code key} ({@code options}, {@code keywords-only}, …); an error lists the allowed names. */
    public static MixtureRecipe of(String key) {
        return EnumKeys.of(values(), MixtureRecipe::key, "mixture recipe", key);
    }
}
