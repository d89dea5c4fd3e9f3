package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.text.T5Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A text-to-text task: its splits (train required; dev and test optional; dev may be carved from train), the input
 * template, the verbalizer and the label field. {@link Builder#build()} reads and validates everything, so that a
 * bad file, an empty split, a missing slot or an unknown label fails before any model loads.
 *
 * <p>Train and dev must be labeled. Test may be unlabeled (no example has the label field); if any test example
 * has it, all must, with known labels.
 */
public final class TaskData {

    private final Split train;
    private final Split dev;
    private final Split test;
    private final Template template;
    private final Verbalizer verbalizer;

    private TaskData(Split train, Split dev, Split test, Template template, Verbalizer verbalizer) {
        this.train = train;
        this.dev = dev;
        this.test = test;
        this.template = template;
        this.verbalizer = verbalizer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A task known by its template and labels alone: what predicting needs when the data a prompt was trained on is
     * not at hand (a prompt file shared without it). Its train split is empty and it has no dev or test split.
     */
    public static TaskData ofTemplateAndLabels(Template template, Verbalizer verbalizer) {
        return new TaskData(new Split("train", "(no data: template and labels only)", List.of()), null, null, template,
                verbalizer);
    }

    public Split train() {
        return train;
    }

    public Optional<Split> dev() {
        return Optional.ofNullable(dev);
    }

    public Optional<Split> test() {
        return Optional.ofNullable(test);
    }

    /** The splits present, in the order train, dev, test. */
    public List<Split> splits() {
        List<Split> all = new ArrayList<>(List.of(train));
        dev().ifPresent(all::add);
        test().ifPresent(all::add);
        return all;
    }

    /**
     * The split named {@code name} ({@code train}, {@code dev}, {@code test}).
     *
     * @throws PromptTuneException naming the split and the ones present
     */
    public Split split(String name) {
        for (Split s : splits()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new PromptTuneException("the task has no " + name + " split; it has: "
                + String.join(", ", splits().stream().map(Split::name).toList()));
    }

    public Template template() {
        return template;
    }

    public Verbalizer verbalizer() {
        return verbalizer;
    }

    public String labelField() {
        return verbalizer.labelField();
    }

    /** Whether every example of {@code split} has a label (train and dev always do). */
    public boolean isLabeled(Split split) {
        return split.size() > 0 && split.get(0).has(labelField());
    }

    /**
     * One line per dev or test split that shares inputs with train ({@link SplitOverlap}); empty when none does.
     * Computed on demand, so a run says it once however often its task is resolved.
     */
    public List<String> overlapWarnings() {
        return SplitOverlap.describe(train, Arrays.asList(dev, test), template);
    }

    /**
     * One line per split holding examples with nothing in the template's fields ({@link EmptyInputs}); empty when
     * none does. Computed on demand, like {@link #overlapWarnings()}.
     */
    public List<String> emptyInputWarnings() {
        return EmptyInputs.describe(Arrays.asList(train, dev, test), template);
    }

    /**
     * One line per class the labels name that no training example has, and one when the dev split holds one class
     * only ({@link TrainingClasses}); empty otherwise. Computed on demand, like {@link #overlapWarnings()}.
     */
    public List<String> missingClassWarnings() {
        List<String> out = new ArrayList<>(TrainingClasses.missing(train, verbalizer));
        if (dev != null && isLabeled(dev)) {
            out.addAll(TrainingClasses.oneClassDev(dev, verbalizer));
        }
        return out;
    }

    /** Split name to {@link Split#fingerprint()}, for run records. */
    public Map<String, String> fingerprints() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Split s : splits()) {
            m.put(s.name(), s.fingerprint());
        }
        return m;
    }

    /** This task with its dev and test splits (where present) replaced by {@code cut} of them; the rest kept. */
    public TaskData withEvaluationSplits(UnaryOperator<Split> cut) {
        return new TaskData(train, dev == null ? null : cut.apply(dev), test == null ? null : cut.apply(test), template,
                verbalizer);
    }

    /** {@code split} tokenized with this task's template and verbalizer, through the shared cache. */
    public TokenizedSplit tokenize(Split split, T5Tokenizer tokenizer, int maxInputLength, int maxTargetLength) {
        return TokenizationCache.shared().get(split, template, verbalizer, tokenizer, maxInputLength,
                maxTargetLength);
    }

    /** Collects the parts of a task; {@link #build()} reads the files and validates. */
    public static final class Builder {

        private Path trainFile;
        private Path devFile;
        private Path testFile;
        private Split trainSplit;
        private Split devSplit;
        private Split testSplit;
        private DataFormat format;
        private Template template;
        private Map<String, String> mapping;
        private Verbalizer verbalizer;
        private String labelField;
        private double devFraction;
        private long devSeed;

        private Builder() {}

        public Builder train(Path file) {
            trainFile = file;
            trainSplit = null;
            return this;
        }

        public Builder train(Split split) {
            trainSplit = split;
            trainFile = null;
            return this;
        }

        public Builder dev(Path file) {
            devFile = file;
            devSplit = null;
            return this;
        }

        public Builder dev(Split split) {
            devSplit = split;
            devFile = null;
            return this;
        }

        public Builder test(Path file) {
            testFile = file;
            testSplit = null;
            return this;
        }

        public Builder test(Split split) {
            testSplit = split;
            testFile = null;
            return this;
        }

        /** Reads every file in {@code format} instead of choosing by extension; null to choose by extension. */
        public Builder format(DataFormat format) {
            this.format = format;
            return this;
        }

        public Builder template(String template) {
            this.template = Template.of(template);
            return this;
        }

        public Builder template(Template template) {
            this.template = template;
            return this;
        }

        /** Label value to target text, in class order. Without one, labels are their own targets. */
        public Builder verbalizer(Map<String, String> mapping) {
            this.mapping = new LinkedHashMap<>(mapping);
            this.verbalizer = null;
            return this;
        }

        public Builder verbalizer(Verbalizer verbalizer) {
            this.verbalizer = verbalizer;
            this.mapping = null;
            return this;
        }

        /** The field holding the label (default {@value Verbalizer#DEFAULT_LABEL_FIELD}). */
        public Builder labelField(String field) {
            this.labelField = field;
            return this;
        }

        /**
         * When no dev split is given, carve one from train: {@code fraction} of it (at least one example), chosen
         * with {@code seed}. Both keep their file order. Ignored when a dev split is given.
         */
        public Builder carveDev(double fraction, long seed) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new PromptTuneException("dev fraction must be between 0 and 1 (exclusive), got " + fraction);
            }
            this.devFraction = fraction;
            this.devSeed = seed;
            return this;
        }

        /**
         * Reads and validates.
         *
         * @throws PromptTuneException for a missing or bad file, an empty split, a template slot missing from an
         *                             example, a missing label field or an unknown label
         */
        public TaskData build() {
            if (trainFile == null && trainSplit == null) {
                throw new PromptTuneException("a task needs a train split (a .jsonl, .csv or .tsv file)");
            }
            if (template == null) {
                throw new PromptTuneException("a task needs an input template, e.g. \"premise: {premise}"
                        + " hypothesis: {hypothesis}\"");
            }
            Split train = load("train", trainFile, trainSplit);
            Split dev = load("dev", devFile, devSplit);
            Split test = load("test", testFile, testSplit);
            train.requireNonEmpty();
            if (template.slots().isEmpty()) {
                // Every input would read the same: no prompt or model could tell the classes apart.
                List<String> fields = new ArrayList<>(train.get(0).fields().keySet());
                fields.remove(labelField != null ? labelField : "label");
                String example = fields.isEmpty() ? "text" : fields.get(0);
                throw new PromptTuneException("template '" + template.text() + "' has no {field} slot, so every example "
                        + "would read the same; allowed: a template naming at least one field of the data ("
                        + String.join(", ", fields) + "), e.g. \"" + example + ": {" + example + "}\"");
            }
            if (dev != null) {
                dev.requireNonEmpty();
            }
            if (test != null) {
                test.requireNonEmpty();
            }
            Verbalizer v = verbalizer(train);
            if (template.slots().contains(v.labelField())) {
                throw new PromptTuneException("template '" + template.text() + "' reads {" + v.labelField() + "}, the "
                        + "label field: every input would hold its own answer, so training and scores would measure "
                        + "nothing; leave {" + v.labelField() + "} out of the template");
            }
            if (dev == null && devFraction > 0) {
                Split[] carved = carve(train);
                train = carved[0];
                dev = carved[1];
            }
            validate(train, v, true);
            requireDistinctInputs(train);
            if (dev != null) {
                validate(dev, v, true);
            }
            if (test != null) {
                validate(test, v, anyLabeled(test, v));
            }
            if (v.size() < 2) {
                // Ranking one class scores every example right: accuracy 1.0 that says nothing.
                throw new PromptTuneException(v.isIdentity()
                        ? "the training data's label field '" + v.labelField() + "' has one value ('" + v.labels().get(0)
                                + "') in all " + train.size() + " examples of " + train.source() + "; a classifier "
                                + "needs at least two classes: add examples of another class, or name the classes "
                                + "with labels"
                        : "labels name one class ('" + v.labels().get(0) + "'); a classifier needs at least two");
            }
            TrainingClasses.requireTwo(train, v);
            return new TaskData(train, dev, test, template, v);
        }

        private Split load(String name, Path file, Split split) {
            if (split != null) {
                return split.name().equals(name) ? split : new Split(name, split.source(), split.examples());
            }
            if (file == null) {
                return null;
            }
            return format == null ? Split.read(name, file) : Split.read(name, file, format);
        }

        private Verbalizer verbalizer(Split train) {
            String field = labelField != null ? labelField : Verbalizer.DEFAULT_LABEL_FIELD;
            if (verbalizer != null) {
                if (labelField != null && !labelField.equals(verbalizer.labelField())) {
                    throw new PromptTuneException("label field '" + labelField + "' disagrees with the verbalizer's"
                            + " label field '" + verbalizer.labelField() + "'");
                }
                return verbalizer;
            }
            if (mapping != null) {
                return Verbalizer.of(field, mapping);
            }
            return Verbalizer.identityFrom(field, train.examples());
        }

        private Split[] carve(Split train) {
            int n = train.size();
            int nDev = (int) Math.max(1, Math.round(n * devFraction));
            if (nDev >= n) {
                throw new PromptTuneException("cannot carve a dev split from " + train.source() + ": it has " + n
                        + " example" + (n == 1 ? "" : "s") + " and a " + devFraction + " fraction leaves none to"
                        + " train on");
            }
            int[] order = Seeds.range(n);
            Seeds.shuffle(order, Seeds.random(devSeed, 0));
            boolean[] isDev = new boolean[n];
            for (int i = 0; i < nDev; i++) {
                isDev[order[i]] = true;
            }
            List<Example> keep = new ArrayList<>();
            List<Example> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (isDev[i] ? held : keep).add(train.get(i));
            }
            String pct = String.format(Locale.ROOT, "%.4g%%", devFraction * 100);
            return new Split[] {
                new Split("train", train.source() + " minus a " + pct + " dev carve (seed " + devSeed + ")", keep),
                new Split("dev", train.source() + ": " + pct + " carved as dev (seed " + devSeed + ")", held)};
        }

        private static boolean anyLabeled(Split split, Verbalizer v) {
            return split.examples().stream().anyMatch(e -> e.has(v.labelField()));
        }

        /** Every training input the same (the template's fields empty or equal everywhere): nothing to learn from. */
        private void requireDistinctInputs(Split train) {
            String first = template.render(train.get(0));
            if (train.size() > 1 && train.examples().stream().allMatch(e -> template.render(e).equals(first))) {
                throw new PromptTuneException("template '" + template.text() + "' reads the same input, '" + first
                        + "', for all " + train.size() + " training examples of " + train.source() + " (its fields "
                        + template.slots() + " are empty or equal in every one); name fields that differ");
            }
        }

        private void validate(Split split, Verbalizer v, boolean labeled) {
            int checked = 0;
            for (Example e : split.examples()) {
                if (++checked % DataInterrupts.ROWS == 0) {
                    DataInterrupts.check("checking " + split.source());
                }
                template.render(e);
                if (labeled) {
                    v.classOf(e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TaskData" + Arrays.toString(splits().toArray()) + " template '" + template + "' " + verbalizer;
    }
}
