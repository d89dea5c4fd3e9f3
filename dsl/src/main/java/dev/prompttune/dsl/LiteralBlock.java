package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.SettingProblems;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.prompt.FileInit;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.run.TaskSetup;
import dev.prompttune.core.spec.FastDevRun;
import dev.prompttune.core.spec.ModelResolver;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.spec.TaskResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * A {@code promptTune}, {@code baseline} or {@code sweep} block whose settings are all literal keyword calls, checked
 * at compile time as the run would check it before loading weights ({@link PromptTuning#resolve}: data files,
 * template slots, labels, empty splits, model directory, prompt file width and length; and
 * {@link PromptTuning#checkStepMemory}: a batch or prompt length that cannot fit in memory). So a template naming a field the data
 * lacks is reported with the script's other mistakes, not after an earlier block has trained for minutes.
 *
 * <p>A block with anything else in it (a loop, an {@code if}), or whose data settings are not literals, is left to
 * run time, where the same check runs on the real values.
 */
final class LiteralBlock {

    /** The keywords whose values {@link PromptTuning#resolve} reads. */
    private static final Set<String> READ_BY_RESOLVE = Set.of("model", "init", "data", "train", "dev", "test", "template",
            "labels", "labelField", "metric");

    private static final Set<String> DATA_KEYWORDS = Set.of("data", "train", "dev", "test");

    /**
     * Keywords whose failure leaves the data's own checks (files, template slots, labels in the data) meaningful:
     * the data is read without them (labels: the task's own), so a bad model name does not hide a template slot the
     * data lacks.
     */
    private static final Set<String> DATA_CHECKED_WITHOUT = Set.of("model", "init", "metric", "labels");

    /** Settings whose problem ends the data's checks, and without which the data is read again for other problems. */
    private static final Set<String> RETRIED_WITHOUT = Set.of("labels", "template");

    /** Keywords that give a file or folder other than data, which a problem's message may name. */
    private static final Set<String> FILE_KEYWORDS = Set.of("model", "init");

    private LiteralBlock() {}

    /** A problem the run would report, and the keyword call it comes from (null: the block as a whole). */
    record Problem(String message, Expression where) {}

    /**
     * The spec of a {@code promptTune} block whose settings are all known before the script runs (and fine), or null:
     * what the verbs given its run may be checked against ({@code exportPeft(a, …)}, {@code ensemble([a, b])}, …).
     */
    static PromptTuneSpec spec(ClosureExpression block, Function<MethodCallExpression, Object[]> literals,
                               Predicate<Object> writtenByScript) {
        try {
            TuneSpec spec = new TuneSpec();
            Replay replay = replay(block, spec, literals, writtenByScript, Set.of());
            return replay.usable() && replay.failed().isEmpty() ? spec.build() : null;
        } catch (RuntimeException e) {
            return null; // a mistake of the block's own: reported at its line
        }
    }

    /**
     * The problems the run would report for this block before loading weights: the first of the checks the run makes
     * in order, and a prompt file's own; none when there is none or the block's settings are not all literal.
     *
     * @param literals a call's arguments as Java values, or null when any is not a literal
     * @param writtenByScript whether the script itself may write a file (then a prompt file there is not read yet)
     */
    static List<Problem> problems(String verb, ClosureExpression block, Function<MethodCallExpression, Object[]> literals,
                                  Predicate<Object> writtenByScript) {
        TuneSpec spec = verb.equals("sweep") ? new SweepSpec() : new TuneSpec();
        List<PromptTuneSpec> specs = new ArrayList<>();
        try {
            Replay replay = replay(block, spec, literals, writtenByScript, Set.of());
            if (!replay.usable()) {
                return List.of();
            }
            if (!replay.failed().isEmpty()) {
                // A setting the checks below read failed on its own line: check what stands alone, the data (when
                // it is read without the failed settings) and the prompt files.
                boolean modelKnown = modelKnown(spec, replay);
                List<Problem> out = new ArrayList<>();
                TuneSpec checked = spec;
                Replay checkedReplay = replay;
                if (replay.failed().stream().anyMatch(DATA_KEYWORDS::contains)) {
                    // A dev or test file that does not exist: the data is read again with the training file in its
                    // place, so that the template and labels are checked too (a missing file hid both).
                    checked = verb.equals("sweep") ? new SweepSpec() : new TuneSpec();
                    checked.heldOutMayBeMissing = true;
                    checkedReplay = replay(block, checked, literals, writtenByScript, Set.of());
                }
                if (DATA_CHECKED_WITHOUT.containsAll(checkedReplay.failed())) {
                    for (Problem problem : dataProblems(checked, modelKnown, block, out)) {
                        problemsHiddenBy(problem, verb, block, literals, writtenByScript, out);
                    }
                }
                for (FileInit file : replay.files()) {
                    checkPromptFile(file, modelKnown ? spec.modelSoFar() : null, spec.precisionSoFar(), block, out);
                }
                return out;
            }
            if (spec instanceof SweepSpec sweep) {
                sweep.points().forEach(p -> specs.add(p.spec()));
            } else {
                specs.add(spec.build());
            }
        } catch (PromptTuneException e) {
            // Every contradiction between settings at once (data missing did hide calibrate with generate, …).
            return SettingProblems.of(e).stream().map(m -> new Problem(m, cause(block, m))).toList();
        } catch (RuntimeException e) {
            return List.of(); // not a user error: the run will say what it is
        }
        List<Problem> out = new ArrayList<>();
        PromptTuneSpec[] checking = {null};
        try {
            Map<String, PromptTuning.Prepared> resolved = new HashMap<>();
            for (PromptTuneSpec s : specs) {
                checking[0] = s;
                PromptTuning.Prepared p = resolved.computeIfAbsent(inputsOf(s), k -> PromptTuning.resolve(s));
                PromptTuning.checkLabelTokens(s, p, Session.shared());
                // As the run checks it: per grid point.
                PromptTuning.checkStepMemory(FastDevRun.apply(s), p, Session.shared());
            }
        } catch (PromptTuneException e) {
            for (String message : SettingProblems.of(e)) {
                Problem problem = problem(checking[0], block, message);
                out.add(problem);
                problemsHiddenBy(problem, verb, block, literals, writtenByScript, out);
            }
        } catch (RuntimeException e) {
            // not a user error: the run will say what it is
        }
        if (!verb.equals("baseline") && firstCall(block, "save") == null) {
            // The default record folder (runs, under the folder the command runs in); a `save` is checked on its line.
            for (Path save : specs.stream().map(PromptTuneSpec::save).distinct().toList()) {
                String problem = PathProblems.cannotCreate(save);
                if (problem != null) {
                    out.add(new Problem("cannot create a run record under " + save + ": " + problem + "; allowed: a "
                            + "folder this user can write, given with save 'DIR'", null));
                }
            }
        }
        // The first problem ends the checks above (bad data stops them before the prompt file is read): then each
        // prompt file is checked on its own too, so that a broken one is reported beside the data's mistake.
        Set<String> checked = new HashSet<>();
        for (PromptTuneSpec s : out.isEmpty() ? List.<PromptTuneSpec>of() : specs) {
            if (s.init() instanceof FileInit file && checked.add(file + " " + s.model() + " " + s.precision())) {
                checkPromptFile(file, s.model(), s.precision(), block, out);
            }
        }
        return out;
    }

    /**
     * Adds the problems {@link TaskSetup#resolve} finds in the data of each of the block's specs (and, with the model
     * known, of the label words against its tokenizer) to {@code out}, once; returns those it added.
     */
    private static List<Problem> dataProblems(TuneSpec spec, boolean modelKnown, ClosureExpression block, List<Problem> out) {
        List<PromptTuneSpec> specs = new ArrayList<>();
        try {
            if (spec instanceof SweepSpec sweep) {
                sweep.points().forEach(p -> specs.add(p.spec()));
            } else {
                specs.add(spec.build());
            }
        } catch (RuntimeException e) {
            return List.of(); // data missing, or a grid that cannot be built: reported on its own
        }
        List<Problem> added = new ArrayList<>();
        for (PromptTuneSpec s : specs) {
            checkData(heldOutStandIns(s), modelKnown, block, out, added);
        }
        return added;
    }

    /**
     * Adds the first problem {@link TaskSetup#resolve} finds in {@code s}'s data (and, with the model known, in its
     * label words against the model's tokenizer) to {@code out} and {@code added}, once.
     */
    private static void checkData(PromptTuneSpec s, boolean modelKnown, ClosureExpression block, List<Problem> out,
                                  List<Problem> added) {
        try {
            TaskSetup task = TaskSetup.resolve(s);
            PromptTuning.Prepared prepared = modelKnown ? resolvedOrNull(s, task) : null;
            if (prepared != null) {
                // The label words against the model's tokenizer too (a slot problem hid them).
                PromptTuning.checkLabelTokens(s, prepared, Session.shared());
            }
        } catch (PromptTuneException e) {
            Problem p = problem(s, block, e.getMessage());
            if (!out.contains(p)) {
                out.add(p);
                added.add(p);
            }
        } catch (RuntimeException e) {
            // not a user error: the run will say what it is
        }
    }

    /**
     * {@code s} with the training file in place of a dev or test file that does not exist (kept by a replay with
     * {@link TuneSpec#heldOutMayBeMissing}; its refusal is reported on its own line), so that the template and labels
     * are still checked against the training data. (Dropping it instead would carve a dev split from train, whose own
     * checks, one class in a tiny carve, could report what the real run never would.)
     */
    private static PromptTuneSpec heldOutStandIns(PromptTuneSpec s) {
        boolean devMissing = s.dev() != null && !Files.isRegularFile(s.dev());
        boolean testMissing = s.test() != null && !Files.isRegularFile(s.test());
        if (!devMissing && !testMissing) {
            return s;
        }
        Path train = s.train() != null ? s.train() : s.data() != null ? taskTrainOrNull(s.data()) : null;
        if (train == null) {
            return s;
        }
        PromptTuneSpec.Builder b = s.toBuilder().train(train);
        if (devMissing) {
            b.dev(train);
        }
        if (testMissing) {
            b.test(train);
        }
        return b.build();
    }

    private static Path taskTrainOrNull(String task) {
        try {
            return TaskResolver.resolve(task).train();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The spec with its resolved {@code task}, or null when that fails on what is not the data's (the model, a prompt
     * file: said on their own).
     */
    private static PromptTuning.Prepared resolvedOrNull(PromptTuneSpec s, TaskSetup task) {
        try {
            return PromptTuning.resolve(s, task);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the block's one model is known: its setting did not fail, and it is no sweep axis. */
    private static boolean modelKnown(TuneSpec spec, Replay replay) {
        return !replay.failed().contains("model")
                && !(spec instanceof SweepSpec sweep && sweep.axes().stream().anyMatch(a -> a.keyword().equals("model")));
    }

    /**
     * The data's checks stop at their first problem: when it is the labels' or the template's, the data is read again
     * without that setting (the task's own), so that a problem of the other is reported too.
     */
    private static void problemsHiddenBy(Problem problem, String verb, ClosureExpression block,
                                         Function<MethodCallExpression, Object[]> literals, Predicate<Object> writtenByScript,
                                         List<Problem> out) {
        if (problem.where() instanceof MethodCallExpression call && RETRIED_WITHOUT.contains(call.getMethodAsString())) {
            TuneSpec without = verb.equals("sweep") ? new SweepSpec() : new TuneSpec();
            without.heldOutMayBeMissing = true; // a missing dev or test file is reported already
            Replay replay = replay(block, without, literals, writtenByScript, Set.of(call.getMethodAsString()));
            if (DATA_CHECKED_WITHOUT.containsAll(replay.failed())) {
                dataProblems(without, modelKnown(without, replay), block, out);
            }
        }
    }

    /** Adds the problem of a prompt file read for {@code model} (null: finite values only) to {@code out}, once. */
    private static void checkPromptFile(FileInit file, String model, String precision, ClosureExpression block,
                                        List<Problem> out) {
        try {
            file.load(initTarget(model, precision));
        } catch (PromptTuneException e) {
            Problem p = new Problem(e.getMessage(), cause(block, e.getMessage()));
            if (!out.contains(p)) {
                out.add(p);
            }
        } catch (RuntimeException e) {
            // not a user error: the run will say what it is
        }
    }

    /** The model a prompt file is checked against; null (finite values only) when the model is not known or found. */
    private static PromptCheck.Target initTarget(String model, String precision) {
        if (model == null) {
            return null;
        }
        try {
            return PromptCheck.Target.ofCheckpoint(model, ModelResolver.resolve(model), precision);
        } catch (PromptTuneException unknownModel) {
            return null; // the model's own mistake is reported on its line
        }
    }

    /**
     * What replaying a block's settings gave: {@code usable} false when the block holds more than keyword calls;
     * {@code failed}, the settings that {@link PromptTuning#resolve} reads and that failed (reported on their lines);
     * the prompt files its {@code init} calls name.
     */
    private record Replay(boolean usable, Set<String> failed, List<FileInit> files) {}

    /**
     * Applies the block's keyword calls to {@code target}. A call that is not a literal, or that fails (its own
     * error is reported on its line), is skipped; when {@link PromptTuning#resolve} reads it, the replay is not
     * complete, and when the block holds anything but calls, not usable: a check would be of settings the author did
     * not write. The keywords in {@code without} are left out.
     */
    private static Replay replay(ClosureExpression block, Object target, Function<MethodCallExpression, Object[]> literals,
                                 Predicate<Object> writtenByScript, Set<String> without) {
        Set<String> failed = new HashSet<>();
        List<FileInit> files = new ArrayList<>();
        for (Statement statement : statements(block)) {
            if (statement instanceof ExpressionStatement es && es.getExpression() instanceof BinaryExpression b
                    && b.getLeftExpression() instanceof VariableExpression v && TuneSpec.KEYWORDS.contains(v.getName())
                    && !READ_BY_RESOLVE.contains(v.getName())) {
                continue; // `steps -3` is `steps - 3` to Groovy: reported on its line, and resolve does not read it
            }
            if (!(statement instanceof ExpressionStatement es) || !(es.getExpression() instanceof MethodCallExpression call)
                    || !call.isImplicitThis()) {
                return new Replay(false, failed, files);
            }
            String keyword = call.getMethodAsString();
            if (without.contains(keyword)) {
                continue;
            }
            List<Expression> args = call.getArguments() instanceof TupleExpression t ? t.getExpressions() : List.of();
            if ("optimizer".equals(keyword) && args.size() == 2 && args.get(1) instanceof ClosureExpression) {
                // optimizer('adamw') { lr 1e-3 }: the optimiser's settings are not read by resolve
                continue;
            }
            Object[] values = literals.apply(call);
            if ("init".equals(keyword) && values != null) {
                List<FileInit> given = Arrays.stream(values).filter(FileInit.class::isInstance).map(FileInit.class::cast).toList();
                if (given.stream().anyMatch(f -> writtenByScript.test(f.path()))) {
                    // A prompt file the script saves before this block runs: not there yet, or about to change. It
                    // is read when the block runs; the block's other settings are checked now.
                    continue;
                }
                files.addAll(given);
            }
            try {
                if (values == null) {
                    throw new IllegalArgumentException("not a literal");
                }
                InvokerHelper.invokeMethod(target, keyword, values);
            } catch (RuntimeException e) {
                if (READ_BY_RESOLVE.contains(keyword)) {
                    failed.add(keyword);
                }
            }
        }
        return new Replay(true, failed, files);
    }

    /**
     * The keyword call a problem is about, so the error points at its line: the keyword the message names (template,
     * labels, labelField, init file, model, calibrate, loss, length, batch, evalBatch, device, cluster) when the block
     * sets it; else the model or init call whose path the message names (a config.json, a prompt file); else, for a problem
     * of the data, the data keyword whose file the message names, else the block's first data keyword; else null
     * (the block as a whole: a default is at fault).
     */
    private static Expression cause(ClosureExpression block, String message) {
        String named = message.startsWith("template") ? "template"
                : message.startsWith("init file") ? "init"
                : message.startsWith("length is") ? "length"
                : message.startsWith("batch ") ? "batch"
                : message.startsWith("evalBatch is") ? "evalBatch"
                : message.startsWith("device") ? "device"
                : message.startsWith("cluster") ? "cluster"
                : message.startsWith("model") ? "model"
                : message.startsWith("calibrate") ? "calibrate"
                : message.startsWith("loss") ? "loss"
                : message.contains("label field") ? "labelField"
                : message.contains("verbalizer") || message.startsWith("unknown label") ? "labels" : null;
        MethodCallExpression firstData = null;
        Expression namingData = null;
        MethodCallExpression namingFile = null;
        for (MethodCallExpression call : keywordCalls(block)) {
            String keyword = call.getMethodAsString();
            if (keyword.equals(named)) {
                return call;
            }
            if (named == null && FILE_KEYWORDS.contains(keyword) && namesAFileOf(message, call)) {
                // "FILE: ..." about the model's config or the init prompt file given there; a message about a
                // prompt file that also names the model's directory ("trained on model X but used with model
                // DIR") is about the file it starts with
                if (startsWithAFileOf(message, call)) {
                    return call;
                }
                namingFile = namingFile != null ? namingFile : call;
            }
            if (DATA_KEYWORDS.contains(keyword)) {
                firstData = firstData != null ? firstData : call;
                // the file itself: in `data train: 'a.jsonl',\n dev: 'b.jsonl'` b's problem is on b's line
                namingData = namingData != null ? namingData : fileNamed(message, call);
            }
        }
        if (namingFile != null) {
            return namingFile;
        }
        if (namingData != null) {
            return namingData; // "FILE:LINE has no label field 'label'" is about the file, not a labelField setting
        }
        if (named != null && !DATA_KEYWORDS.contains(named)) {
            return null; // a setting left at its default: the block as a whole
        }
        return firstData;
    }

    /** The argument of {@code call} that gives a file the message names, or null. */
    static Expression fileNamed(String message, MethodCallExpression call) {
        return filesOf(call).stream().filter(c -> message.contains((String) c.getValue())).findFirst().orElse(null);
    }

    /**
     * The problem {@code message} of spec {@code s}, at the keyword call it comes from ({@link #cause}). When it is
     * about a template, labels or label field the block does not set, the registered task's task.json set it: the
     * message says so, at the {@code data} line (it was at the block's first line, naming no file the script shows).
     */
    private static Problem problem(PromptTuneSpec s, ClosureExpression block, String message) {
        String keyword = message.startsWith("template") ? "template"
                : message.contains("verbalizer") || message.startsWith("unknown label") || message.startsWith("labels")
                        ? "labels"
                : message.contains("label field") ? "labelField" : null;
        boolean fromTask = s != null && s.data() != null && keyword != null && switch (keyword) {
            case "template" -> s.template() == null;
            case "labels" -> s.labels() == null;
            default -> "label".equals(s.labelField());
        };
        if (!fromTask) {
            return new Problem(message, cause(block, message));
        }
        MethodCallExpression data = firstCall(block, "data");
        String json = dev.prompttune.core.spec.Home.tasks().resolve(s.data()).resolve("task.json").toString();
        return new Problem(message + " (the " + keyword + " of task '" + s.data() + "', set in " + json + ")",
                data != null ? data : cause(block, message));
    }

    /** Whether the message names a file that this call gives (as written in the script). */
    private static boolean namesAFileOf(String message, MethodCallExpression call) {
        return fileNamed(message, call) != null;
    }

    /** Whether the message begins with a file that this call gives (it is about that file). */
    private static boolean startsWithAFileOf(String message, MethodCallExpression call) {
        return filesOf(call).stream().anyMatch(c -> message.startsWith((String) c.getValue()));
    }

    /** The string constants in a call's arguments that look like files ({@code a.csv}, {@code dir/x}). */
    static List<ConstantExpression> filesOf(MethodCallExpression call) {
        List<ConstantExpression> files = new ArrayList<>();
        call.getArguments().visit(new CodeVisitorSupport() {
            @Override
            public void visitConstantExpression(ConstantExpression c) {
                if (c.getValue() instanceof String file && (file.contains(".") || file.contains("/"))) {
                    files.add(c);
                }
            }
        });
        return files;
    }

    /** The block's own keyword calls ({@code data 'spam'}, {@code save 'runs'}), in order; other statements left out. */
    private static List<MethodCallExpression> keywordCalls(ClosureExpression block) {
        List<MethodCallExpression> calls = new ArrayList<>();
        for (Statement statement : statements(block)) {
            if (statement instanceof ExpressionStatement es && es.getExpression() instanceof MethodCallExpression call
                    && call.isImplicitThis() && call.getMethodAsString() != null) {
                calls.add(call);
            }
        }
        return calls;
    }

    /** The block's first call of {@code keyword}, or null. */
    private static MethodCallExpression firstCall(ClosureExpression block, String keyword) {
        return keywordCalls(block).stream().filter(c -> keyword.equals(c.getMethodAsString())).findFirst().orElse(null);
    }

    private static List<Statement> statements(ClosureExpression block) {
        Statement code = block.getCode();
        return code instanceof BlockStatement b ? b.getStatements() : List.of(code);
    }

    /** What {@link PromptTuning#resolve} reads of a spec: grid points that agree on it need one check. */
    private static String inputsOf(PromptTuneSpec s) {
        return String.join("\u0000", String.valueOf(s.data()), String.valueOf(s.train()), String.valueOf(s.dev()),
                String.valueOf(s.test()), String.valueOf(s.template()), String.valueOf(s.labels()), s.labelField(),
                String.valueOf(s.metric()), String.valueOf(s.seed()), s.model(), s.init().describe().toString(),
                String.valueOf(s.length()), s.precision()); // an init file's rows and values are checked per length, precision
    }
}
