package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.data.DataInterrupts;
import dev.prompttune.core.data.Example;
import dev.prompttune.core.data.ExampleReader;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.data.Verbalizer;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.spec.TaskResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A spec's data, resolved and validated before any model is loaded: registered task or files, template (given,
 * the task's, or built from the example fields as "field: {field} …"), verbalizer, label field, and a dev split
 * carved from train (10%, seeded) when none is given. A fast dev run's spec gets dev and test cut to
 * {@link FastDevRun#MAX_EVAL_EXAMPLES} examples each.
 */
public record TaskSetup(String taskName, TaskData data, String metric) {

    /** Reads and checks the spec's data; Ctrl-C stops it ({@link DataInterrupts}). */
    public static TaskSetup resolve(PromptTuneSpec spec) {
        return DataInterrupts.during(() -> resolveData(spec));
    }

    private static TaskSetup resolveData(PromptTuneSpec spec) {
        Path train = spec.train();
        Path dev = spec.dev();
        Path test = spec.test();
        String template = spec.template();
        Map<String, String> labels = spec.labels();
        String labelField = spec.labelField();
        String metric = spec.metric();
        String name = spec.taskName();
        if (spec.data() != null) {
            TaskResolver.Task task = TaskResolver.resolve(spec.data());
            if (train == null && task.train() == null) {
                throw new PromptTuneException("task '" + spec.data() + "' has no train split: no train.jsonl beside its "
                        + "task.json and none named by its \"files\"; allowed: a task with a train split, or train 'FILE' "
                        + "beside data '" + spec.data() + "'");
            }
            train = train != null ? train : task.train();
            dev = dev != null ? dev : task.dev();
            test = test != null ? test : task.test();
            template = template != null ? template : task.template();
            labels = labels != null ? labels : (task.labels().isEmpty() ? null : task.labels());
            labelField = "label".equals(labelField) ? task.labelField() : labelField;
            metric = metric != null ? metric : task.metric();
        } else {
            name = spec.taskName();
        }
        for (Path p : new Path[] {train, dev, test}) {
            if (p != null) {
                PathProblems.requireFile(p, "data file");
            }
        }
        if (template == null) {
            template = defaultTemplate(train, labelField);
        }
        TaskData.Builder b = TaskData.builder().train(train).template(template).labelField(labelField);
        if (labels != null) {
            b.verbalizer(Verbalizer.of(labelField, labels));
        }
        if (dev != null) {
            b.dev(dev);
        } else {
            b.carveDev(0.1, spec.seed());
        }
        if (test != null) {
            b.test(test);
        }
        TaskData data = b.build();
        if (spec.fastDevRun()) {
            data = data.withEvaluationSplits(FastDevRun::capEvaluation);
        }
        return new TaskSetup(name, data, metric != null ? metric : "accuracy");
    }

    /**
     * The task as predicting needs it: {@link #resolve}, except that a file-based task whose files are gone but whose
     * template and labels the spec names (as a loaded prompt file's does) is known by those alone
     * ({@link TaskData#ofTemplateAndLabels}); scoring, training and ensembles still need the files.
     */
    public static TaskSetup toPredict(PromptTuneSpec spec) {
        boolean filesGone = spec.data() == null && java.util.stream.Stream.of(spec.train(), spec.dev(), spec.test())
                .anyMatch(p -> p != null && !Files.isRegularFile(p));
        if (!filesGone || spec.template() == null || spec.labels() == null) {
            return resolve(spec);
        }
        TaskData data = TaskData.ofTemplateAndLabels(dev.prompttune.core.data.Template.of(spec.template()),
                Verbalizer.of(spec.labelField(), spec.labels()));
        return new TaskSetup(spec.taskName(), data, spec.metric() != null ? spec.metric() : "accuracy");
    }

    /** "a: {a} b: {b}" over the first example's fields except the label. */
    private static String defaultTemplate(Path train, String labelField) {
        List<Example> examples = ExampleReader.read(train);
        if (examples.isEmpty()) {
            throw new PromptTuneException("split 'train' (" + train + ") is empty; it needs at least one example");
        }
        StringJoiner j = new StringJoiner(" ");
        for (String field : examples.get(0).fields().keySet()) {
            if (!field.equals(labelField)) {
                j.add(field + ": {" + field + "}");
            }
        }
        if (j.length() == 0) {
            throw new PromptTuneException(train + ": examples have no field besides '" + labelField + "'; nothing to put in the input");
        }
        return j.toString();
    }
}
