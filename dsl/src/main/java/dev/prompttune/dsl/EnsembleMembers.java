package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.data.Split;
import dev.prompttune.core.data.TaskData;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an ensemble's members must share, compared as resolved rather than as written: one model given by its name
 * and by its folder's path, or one task given as {@code data 'spam'} and as its files, are the same (they were said
 * to differ "in model").
 */
final class EnsembleMembers {

    private EnsembleMembers() {}

    /** The model's folder, the data's files, the template, the labels and their target texts, placement, calibrate. */
    private record Shared(Path model, List<String> files, String template, List<String> labels, List<String> targets,
                          Object placement, boolean calibrate) {

        static Shared of(PromptTuneSpec s) {
            TaskData data = TaskSetup.resolve(s).data();
            List<String> files = java.util.stream.Stream.of(Optional.of(data.train()), data.dev(), data.test())
                    .map(split -> split.map(EnsembleMembers::where).orElse("")).toList();
            return new Shared(ModelResolver.resolve(s.model()).toAbsolutePath().normalize(), files,
                    data.template().text(), data.verbalizer().labels(), data.verbalizer().targets(), s.placement(),
                    s.calibrate());
        }

        /** The first setting in which {@code other} differs from this, or null. */
        String differs(Shared other) {
            return !model.equals(other.model) ? "model"
                    : !files.equals(other.files) ? "data"
                    : !template.equals(other.template) || !labels.equals(other.labels) || !targets.equals(other.targets)
                            ? "template or labels"
                    : !placement.equals(other.placement) ? "placement"
                    : calibrate != other.calibrate ? "calibrate" : null;
        }
    }

    /** Refuses members that differ in what they must share, naming the first such member and setting. */
    static void requireShared(List<PromptTuneRun> members) {
        requireShared(members.stream().map(PromptTuneRun::name).toList(), members.stream().map(PromptTuneRun::spec).toList());
    }

    /** {@link #requireShared(List)} of runs not made yet: the specs of blocks known before the script runs. */
    static void requireSharedSpecs(List<PromptTuneSpec> specs) {
        requireShared(specs.stream().map(PromptTuneSpec::name).toList(), specs);
    }

    private static void requireShared(List<String> names, List<PromptTuneSpec> specs) {
        Shared first = Shared.of(specs.get(0));
        for (int m = 1; m < specs.size(); m++) {
            String differs = first.differs(Shared.of(specs.get(m)));
            if (differs != null) {
                throw new PromptTuneException("ensemble: " + names.get(m) + " differs from " + names.get(0) + " in "
                        + differs + "; members must share model, data, template, labels, placement and calibrate");
            }
        }
    }

    /** A split's file as one path (relative and absolute spellings alike), or its description (a carved dev split). */
    private static String where(Split split) {
        try {
            return Path.of(split.source()).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return split.source();
        }
    }
}
