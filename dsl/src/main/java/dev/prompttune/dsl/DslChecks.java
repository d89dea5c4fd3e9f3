package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.Suggestions;
import dev.prompttune.core.run.Baselines;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.spec.TaskResolver;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Variable;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MethodCall;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PostfixExpression;
import org.codehaus.groovy.ast.expr.PrefixExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.syntax.Types;
import org.codehaus.groovy.transform.stc.AbstractTypeCheckingExtension;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingVisitor;
import org.codehaus.groovy.transform.stc.StaticTypesMarker;
import org.codehaus.groovy.transform.stc.TypeCheckingContext;

/**
 * The type-checking extension of prompttune scripts: turns the type checker's findings into the DSL's messages
 * and checks literal settings before the script runs.
 *
 * <ul>
 *   <li>an unknown keyword in a block, or an unknown command: {@code unknown keyword 'lenght' in promptTune { };
 *       did you mean 'length'?} (the nearest known name, else the list); a closure calling the variable it is being
 *       declared as ({@code def f = { n -> f(n + 1) }}) is named so, not as an unknown command;</li>
 *   <li>a value of the wrong type: {@code wrong type for 'length': expected int, got String ('20')};</li>
 *   <li>a literal value the spec refuses ({@code length 0}, {@code init 'labelz'}, {@code data 'spamm'}, a missing
 *       file), or any value known before the script runs ({@code lr Double.NaN}, {@code steps 2 * -8}, a variable
 *       given one such value: {@link DslLiterals}): the keyword's own method runs on a scratch spec at compile time,
 *       so the message is the one the run would give, on the keyword's line;</li>
 *   <li>a {@code promptTune}/{@code sweep}/{@code baseline} block that never says what data to use (at the block's
 *       line), or whose literal settings do not fit the data or model ({@link LiteralBlock}: on the line of the
 *       keyword at fault), or that writes a keyword as a label ({@code data: 'spam'}).</li>
 * </ul>
 *
 * Every finding is an error of its own, so the script's author sees all of them at once, in line order.
 */
public final class DslChecks extends AbstractTypeCheckingExtension {

    private static final Map<String, List<String>> KEYWORDS = Map.of(
            TuneSpec.class.getName(), TuneSpec.KEYWORDS,
            SweepSpec.class.getName(), TuneSpec.KEYWORDS,
            OptimizerSpec.class.getName(), OptimizerSpec.KEYWORDS,
            ClusterBlock.class.getName(), ClusterBlock.KEYWORDS);

    private static final Map<String, String> BLOCK_NAMES = Map.of(
            TuneSpec.class.getName(), "promptTune",
            SweepSpec.class.getName(), "sweep",
            OptimizerSpec.class.getName(), "optimizer",
            ClusterBlock.class.getName(), "cluster");

    private static final Set<String> NEEDS_DATA = Set.of("promptTune", "sweep", "baseline");

    private final Set<String> reported = new HashSet<>();

    /** Per script class, its local variables' assignments (see {@link #onceAssigned}). */
    private final Map<ClassNode, Assignments> assignments = new IdentityHashMap<>();

    /** Per script class, the files its verbs write (see {@link ScriptOutputs}). */
    private final Map<ClassNode, ScriptOutputs> outputs = new IdentityHashMap<>();
    /** The spec of each promptTune block whose run a verb is given (empty: not known before the script runs). */
    private final Map<ClosureExpression, Optional<PromptTuneSpec>> blockSpecs = new IdentityHashMap<>();
    /** Script-level calls of a verb with arguments of the wrong types (reported once, with their blocks' keywords). */
    private final Set<MethodCallExpression> wronglyCalled = Collections.newSetFromMap(new IdentityHashMap<>());

    public DslChecks(StaticTypeCheckingVisitor visitor) {
        super(visitor);
    }

    // ---- unknown names and wrong types -----------------------------------------------------------------------------

    @Override
    public List<MethodNode> handleMissingMethod(ClassNode receiver, String name, ArgumentListExpression arguments,
                                                ClassNode[] argumentTypes, MethodCall call) {
        if (!(call instanceof MethodCallExpression mce)) {
            return List.of();
        }
        String message;
        if (mce.isImplicitThis()) {
            ClassNode block = blockType();
            if (block != null && KEYWORDS.containsKey(block.getName())) {
                Class<?> type = DslReflection.load(block);
                message = DslReflection.hasMethod(type, name) ? DslReflection.wrongType(type, name, arguments, argumentTypes)
                        : PromptTuneScript.COMMANDS.contains(name) ? "'" + name + "' is a command, not a keyword of "
                                + blockName(block) + " { }: blocks do not nest (a %%promptTune cell is already the inside "
                                + "of promptTune { }: write its keywords directly)"
                        : "unknown keyword '" + name + "' in " + blockName(block) + " { }" + suggestion(name, KEYWORDS.get(block.getName()));
            } else if (block == null && inScript()) {
                if (insideUnknownCommand()) {
                    // `promptTun { data 'x' }`: the block's keywords are not commands; the misspelt verb is the mistake.
                    return List.of(makeDynamic(call));
                }
                if (DslReflection.hasMethod(PromptTuneScript.class, name)) {
                    // Its block's keywords then have no block to belong to: not reported again as unknown commands.
                    wronglyCalled.add(mce);
                }
                message = DslReflection.hasMethod(PromptTuneScript.class, name) ? DslReflection.wrongType(PromptTuneScript.class, name, arguments, argumentTypes)
                        : callsItsOwnDeclaration(name) ? name + "(…) is called inside the value that declares " + name
                                + " (def " + name + " = { … }), where " + name + " is not defined yet; declare it first,"
                                + " then assign: Closure " + name + "; " + name + " = { n -> … }"
                        : TuneSpec.KEYWORDS.contains(name) ? keywordOutsideABlock(name)
                        : "unknown command '" + name + "'" + suggestion(name, PromptTuneScript.COMMANDS);
            } else {
                return List.of();
            }
        } else if (ours(receiver)) {
            Class<?> type = DslReflection.load(receiver);
            if (type == null) {
                return List.of();
            }
            message = DslReflection.hasMethod(type, name) ? DslReflection.wrongType(type, name, arguments, argumentTypes)
                    : receiver.getNameWithoutPackage() + " has no method '" + name + "'" + didYouMean(name, DslReflection.methodNames(type));
        } else {
            return List.of();
        }
        error(message, mce);
        return List.of(makeDynamic(call));
    }

    /**
     * A block's keyword called where no block is: at the top of the script, or in a closure kept in a variable
     * ({@code def b = { data 'spam' }; promptTune(b)}), which the checks cannot read as a block (it was "unknown command
     * 'data'", as if the keyword were misspelt).
     */
    private String keywordOutsideABlock(String name) {
        return "'" + name + "' is a keyword of promptTune { }, used outside a block" + (getEnclosingClosureStack().isEmpty()
                ? "" : " (a closure kept in a variable, def b = { … }, is not read as one)") + ": write it inside "
                + "promptTune { … }, sweep { … } or baseline('design') { … }; to share settings, put the block in a "
                + "method: def tune(int n) { promptTune { length n; … } }";
    }

    @Override
    public boolean handleUnresolvedVariableExpression(VariableExpression vexp) {
        ClassNode block = blockType();
        if (block == null || !KEYWORDS.containsKey(block.getName())) {
            return false;
        }
        String name = vexp.getName();
        List<String> keywords = KEYWORDS.get(block.getName());
        BinaryExpression assignment = getEnclosingBinaryExpression();
        boolean assigned = assignment != null && assignment.getLeftExpression() == vexp
                && assignment.getOperation().getText().equals("=");
        boolean minus = assignment != null && assignment.getLeftExpression() == vexp
                && assignment.getOperation().getText().equals("-");
        String message;
        if (keywords.contains(name) && minus) {
            // `lr -0.1` is Groovy for "lr minus 0.1": check the value that was meant, else explain.
            message = negative(block, name, assignment.getRightExpression());
        } else if (keywords.contains(name)) {
            message = assigned ? "write `" + name + " " + assignment.getRightExpression().getText() + "`, not `" + name
                    + " = …`: keywords are calls" : "keyword '" + name + "' needs a value, e.g. `" + name + " …`";
        } else {
            message = "unknown keyword '" + name + "' in " + blockName(block) + " { }" + suggestion(name, keywords);
        }
        error(message, vexp);
        makeDynamic(vexp);
        return true;
    }

    /** The message for literals that do not fit the keyword's parameter type ({@link DslReflection#tooLarge}). */
    private static String outOfRangeMessage(String keyword, MethodNode target, Object[] args) {
        String type = target.getParameters().length > 0 ? target.getParameters()[0].getType().getNameWithoutPackage() : "number";
        List<String> values = new ArrayList<>();
        for (Object a : args) {
            values.add(a instanceof BigDecimal || a instanceof BigInteger ? shortNumber((Number) a)
                    : String.valueOf(a));
        }
        return DslReflection.tooLarge(keyword, String.join(", ", values), type.replace("[]", ""));
    }

    /**
     * A large number as written in messages: {@code 1e400} for the literal 1E+400, and a computed one ({@code 10 ** 400})
     * to 4 significant digits, {@code 1.000e400}, not its 400 digits.
     */
    private static String shortNumber(Number n) {
        BigDecimal d = n instanceof BigInteger b ? new BigDecimal(b) : (BigDecimal) n;
        if (d.precision() > 16) {
            d = d.round(new MathContext(4));
        }
        return d.toString().replace("E+", "e");
    }

    /** Whether a literal could not be converted because it does not fit its parameter's type (1e400 for a double). */
    private static boolean outOfRange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("out of range")) {
                return true;
            }
        }
        return false;
    }

    /** The message for {@code keyword -value}: the keyword's own error for the negative value, else how to write it. */
    private String negative(ClassNode block, String keyword, Expression right) {
        Object value = literal(right);
        Object negated = value instanceof Number ? literal(new UnaryMinusExpression(right)) : DslLiterals.NOT_CONSTANT;
        if (negated != DslLiterals.NOT_CONSTANT) {
            try {
                InvokerHelper.invokeMethod(DslReflection.newInstance(block.getName()), keyword, new Object[] {negated});
            } catch (RuntimeException e) {
                PromptTuneException p = PromptTuneException.in(e);
                if (p != null) {
                    return p.getMessage();
                }
            }
        }
        return "write `" + keyword + "(-" + right.getText() + ")`: Groovy reads `" + keyword + " -" + right.getText()
                + "` as '" + keyword + " minus " + right.getText() + "'";
    }

    @Override
    public boolean handleUnresolvedProperty(PropertyExpression pexp) {
        ClassNode receiver = getType(pexp.getObjectExpression());
        if (receiver != null && KEYWORDS.containsKey(receiver.getName()) && pexp.getPropertyAsString() != null
                && pexp.getObjectExpression() instanceof MethodCallExpression) {
            // `length 20 20` or `length 20 sentinel`: a command chain reading the extra word as a property.
            String word = pexp.getPropertyAsString();
            error(KEYWORDS.get(receiver.getName()).contains(word)
                    ? "keyword '" + word + "' needs a value, e.g. `" + word + " …`"
                    : "unexpected '" + word + "' after " + pexp.getObjectExpression().getText()
                            + ": one value per keyword (a sweep takes several, separated by commas)", pexp);
            makeDynamic(pexp);
            return true;
        }
        if (!ours(receiver) || pexp.getPropertyAsString() == null) {
            return false;
        }
        Class<?> type = DslReflection.load(receiver);
        if (type == null) {
            return false;
        }
        String name = pexp.getPropertyAsString();
        // `run.name` where name() is a method, not a record component: "did you mean 'name'?" would point nowhere.
        String hint = DslReflection.propertyNames(type).contains(name) ? "; it is a method: write " + name + "()"
                : didYouMean(name, DslReflection.propertyNames(type));
        error(receiver.getNameWithoutPackage() + " has no property '" + name + "'" + hint, pexp);
        makeDynamic(pexp);
        return true;
    }

    // ---- literal values --------------------------------------------------------------------------------------------

    @Override
    public void afterMethodCall(MethodCall call) {
        if (!(call instanceof MethodCallExpression mce) || !mce.isImplicitThis()) {
            return;
        }
        MethodNode target = getTargetMethod(mce);
        if (target == null || target.getDeclaringClass() == null) {
            return;
        }
        String owner = target.getDeclaringClass().getName();
        if (KEYWORDS.containsKey(owner)) {
            if (LiteralBlock.filesOf(mce).stream().anyMatch(c -> outputsBefore(mce).mayWrite(c.getValue()))) {
                return; // `init file('p.safetensors')` after `savePrompt(a, 'p')`: read when the script gets there
            }
            Object[] values = values(mce);
            if (values.length == 2 && values[0] instanceof String && "optimizer".equals(mce.getMethodAsString())
                    && arguments(mce).get(1) instanceof ClosureExpression) {
                // optimizer('sgd') { lr 0.1 }: the block's settings are checked on their own lines; the name here.
                values = new Object[] {values[0]};
            }
            for (Object v : values) {
                if (v instanceof DslLiterals.Failed f) {
                    // `lr 0.0 / 0.0`: the value's own evaluation fails, as it would when the script runs.
                    error(f.message(), f.where());
                }
            }
            if ("cluster".equals(mce.getMethodAsString()) && values.length == 1
                    && arguments(mce).get(0) instanceof ClosureExpression block) {
                // cluster { master 'local[1]' }: its keywords were checked one by one; the whole as cluster 'URL' is.
                String problem = LiteralClusterBlock.problem(block, this::literals);
                if (problem != null) {
                    error(problem, mce);
                }
            }
            Object[] args = allKnown(values) ? values : null;
            if (args != null) {
                try {
                    InvokerHelper.invokeMethod(DslReflection.newInstance(owner), mce.getMethodAsString(), args);
                } catch (RuntimeException e) {
                    PromptTuneException p = PromptTuneException.in(e);
                    if (p != null) {
                        // A file's problem on the file's own line (a map of files may span several lines).
                        Expression file = LiteralBlock.fileNamed(p.getMessage(), mce);
                        error(p.getMessage(), file != null ? file : mce);
                    } else if (outOfRange(e)) {
                        // Groovy's own words: "class java.lang.Double out of range while converting from BigDecimal".
                        error(outOfRangeMessage(mce.getMethodAsString(), target, args), mce);
                    }
                }
            }
        } else if (owner.equals(PromptTuneScript.class.getName()) && NEEDS_DATA.contains(mce.getMethodAsString())) {
            checkBlock(mce);
        } else if (owner.equals(PromptTuneScript.class.getName())) {
            List<Expression> args = arguments(mce);
            if ("predictMixed".equals(mce.getMethodAsString()) && args.size() == 2
                    && args.get(0) instanceof ListExpression runs && args.get(1) instanceof ListExpression inputs) {
                try {
                    // Written out, their sizes are known even when their items (runs) are not.
                    MixedBatch.requireOneRunPerInput(runs.getExpressions().size(), inputs.getExpressions().size());
                } catch (PromptTuneException e) {
                    error(e.getMessage(), mce);
                    return;
                }
            }
            String problem = VerbChecks.problem(mce.getMethodAsString(), Arrays.asList(values(mce)), outputsBefore(mce));
            if (problem == null && RUN_VERBS.contains(mce.getMethodAsString())) {
                problem = RunVerbChecks.problem(mce.getMethodAsString(), runSpecs(args), Arrays.asList(values(mce)),
                        outputsBefore(mce)::mayWrite);
            }
            if (problem != null) {
                error(problem, mce);
            }
        }
    }

    /** Verbs checked against the blocks of the runs they are given ({@link RunVerbChecks}). */
    private static final Set<String> RUN_VERBS = Set.of("exportPeft", "evaluate", "predict", "ensemble");

    /**
     * The specs of a verb's run arguments (its first argument, or each item of a list written out, or each argument of
     * {@code ensemble(a, b)}): a variable given a {@code promptTune} block once and never again has its block's spec
     * when every setting is known; null elsewhere.
     */
    private List<PromptTuneSpec> runSpecs(List<Expression> args) {
        List<Expression> runs = args.isEmpty() ? List.of()
                : args.get(0) instanceof ListExpression list ? list.getExpressions()
                : args.stream().allMatch(a -> a instanceof VariableExpression) ? args : List.of(args.get(0));
        List<PromptTuneSpec> specs = new ArrayList<>();
        for (Expression run : runs) {
            Expression init = run instanceof VariableExpression v ? onceAssigned(v) : null;
            specs.add(init instanceof MethodCallExpression call && call.isImplicitThis()
                    && "promptTune".equals(call.getMethodAsString()) && arguments(call).size() == 1
                    && arguments(call).get(0) instanceof ClosureExpression block
                    ? blockSpecs.computeIfAbsent(block, b -> Optional.ofNullable(LiteralBlock.spec(b, this::literals,
                            outputsBefore(call)::mayWrite))).orElse(null)
                    : null);
        }
        return specs;
    }

    /**
     * {@code predict(run, null)}: the type checker cannot choose between the text, map and list forms and would say
     * so in its own terms; the input is the mistake.
     */
    @Override
    public List<MethodNode> handleAmbiguousMethods(List<MethodNode> nodes, Expression origin) {
        if (!(origin instanceof MethodCallExpression mce) || !mce.isImplicitThis()
                || arguments(mce).stream().noneMatch(a -> a instanceof ConstantExpression c && c.isNullExpression())
                || nodes.stream().noneMatch(n -> ours(n.getDeclaringClass()))) {
            return nodes;
        }
        String name = mce.getMethodAsString();
        if (inScript() && ("predict".equals(name) || "predictMixed".equals(name))) {
            error(name + ": the input is null; allowed: a text, a map of fields (subject: '…', body: '…') or a list of "
                    + "texts or maps", mce);
        } else {
            // `cluster null`: which form was meant is unknown, and null is none of them.
            Set<String> forms = new java.util.TreeSet<>();
            for (MethodNode n : nodes) {
                List<String> types = new ArrayList<>();
                for (org.codehaus.groovy.ast.Parameter p : n.getParameters()) {
                    types.add(p.getType().getNameWithoutPackage());
                }
                forms.add(name + "(" + String.join(", ", types) + ")");
            }
            error(name + " is given null; allowed: " + String.join(" or ", forms), mce);
        }
        return List.of(nodes.get(0));
    }

    /** The files the script being checked writes with its own verbs. */
    private ScriptOutputs outputs() {
        return outputs.computeIfAbsent(getEnclosingClassNode(), script -> ScriptOutputs.of(script, this::literal));
    }

    /** The files the script may have written when it reaches {@code call} ({@link ScriptOutputs#beforeRead}). */
    private ScriptOutputs outputsBefore(MethodCallExpression call) {
        return outputs().beforeRead(call.getLineNumber(), runsInPlace());
    }

    /**
     * Whether the code being checked runs where it stands in the script's body: not in a method, and inside no closure
     * but the blocks of verbs and keywords (which run at their call), so no later statement can have run before it.
     */
    private boolean runsInPlace() {
        MethodNode method = getEnclosingMethod();
        if (method == null || !method.isScriptBody()) {
            return false;
        }
        for (TypeCheckingContext.EnclosingClosure c : getEnclosingClosureStack()) {
            boolean block = false;
            for (Expression call : getEnclosingMethodCalls()) {
                block |= call instanceof MethodCallExpression mce && mce.isImplicitThis()
                        && arguments(mce).contains(c.getClosureExpression())
                        && (PromptTuneScript.COMMANDS.contains(mce.getMethodAsString())
                            || TuneSpec.KEYWORDS.contains(mce.getMethodAsString()));
            }
            if (!block) {
                return false;
            }
        }
        return true;
    }

    /** A promptTune / sweep / baseline call: its block must name data; a baseline's kind must be known. */
    private void checkBlock(MethodCallExpression mce) {
        List<Expression> args = arguments(mce);
        if (mce.getMethodAsString().equals("baseline") && !args.isEmpty() && args.get(0) instanceof ConstantExpression c
                && c.getValue() instanceof String kind && !PromptTuneSpec.BASELINES.contains(kind)) {
            error("baseline '" + kind + "' is not known" + Suggestions.didYouMean(kind, PromptTuneSpec.BASELINES)
                    + "; allowed: " + String.join(", ", PromptTuneSpec.BASELINES), mce);
        }
        if (args.isEmpty() || !(args.get(args.size() - 1) instanceof ClosureExpression block)) {
            return;
        }
        if (mce.getMethodAsString().equals("baseline") && args.size() == 2 && args.get(0) instanceof ConstantExpression c
                && c.getValue() instanceof String kind && PromptTuneSpec.BASELINES.contains(kind)) {
            unusedBaselineSettings(kind, block);
        }
        boolean[] named = new boolean[1];
        for (Statement statement : block.getCode() instanceof BlockStatement b ? b.getStatements() : List.of(block.getCode())) {
            if (statement instanceof ExpressionStatement e && e.getExpression() instanceof MethodCallExpression call
                    && call.isImplicitThis() && ("text".equals(call.getMethodAsString()) || "file".equals(call.getMethodAsString()))) {
                // `text 'hello'` alone makes an initialiser and drops it: the block trained from its default init.
                error(call.getMethodAsString() + "(…) makes an initialiser and sets nothing on its own; write `init "
                        + call.getMethodAsString() + "(…)`", call);
            }
            // `data: 'spam'` is a Groovy statement label, not a call: it sets nothing.
            for (String label : statement.getStatementLabels() == null ? List.<String>of() : statement.getStatementLabels()) {
                if (TuneSpec.KEYWORDS.contains(label)) {
                    error("write `" + label + " …` without the colon: `" + label + ":` is a Groovy label and sets nothing",
                            statement);
                    named[0] |= label.equals("data") || label.equals("train");
                }
            }
        }
        block.getCode().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && ("data".equals(call.getMethodAsString()) || "train".equals(call.getMethodAsString()))) {
                    named[0] = true;
                }
                super.visitMethodCallExpression(call);
            }
        });
        if (!named[0]) {
            error("data is missing in " + mce.getMethodAsString() + " { }: give a registered task (data 'spam') or files "
                    + "(data train: 'train.jsonl', test: 'test.jsonl'); registered tasks: " + TaskResolver.registeredText(), mce);
        }
        // Settings that are fine one by one may still not fit the data (a template slot it lacks, labels it does not
        // have) or each other (calibrate with generate): check them together now, with the script's other mistakes,
        // rather than at run time; a missing data hides none of them.
        List<LiteralBlock.Problem> problems = LiteralBlock.problems(mce.getMethodAsString(), block, this::literals,
                outputsBefore(mce)::mayWrite);
        if (Thread.currentThread().isInterrupted()) {
            // Ctrl-C stopped the data's checks (DataInterrupts): what they found is no finding; the script, once
            // compiled, ends at its first statement.
            return;
        }
        for (LiteralBlock.Problem problem : problems) {
            if (!named[0] && problem.message().startsWith("data is missing")) {
                continue; // said above, with the block's own forms
            }
            error(problem.message(), problem.where() != null ? problem.where() : mce);
        }
    }

    /**
     * Each keyword of a baseline block that the baseline would refuse (a prompt's setting), at its line: also inside an
     * {@code if}, a loop or a closure of the block (they passed the check and failed the run), but not inside a
     * keyword's own block ({@code optimizer('adamw') { lr … }}: the keyword is reported, its block is not the spec's).
     */
    private void unusedBaselineSettings(String kind, ClosureExpression block) {
        block.getCode().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && Baselines.PROMPT_ONLY_SETTINGS.contains(call.getMethodAsString())) {
                    error(Baselines.unusedMessage(kind, List.of(call.getMethodAsString())), call);
                    return;
                }
                if (call.isImplicitThis() && TuneSpec.KEYWORDS.contains(call.getMethodAsString())) {
                    call.getArguments().visit(this); // a keyword's arguments, but not its own block's calls
                    return;
                }
                super.visitMethodCallExpression(call);
            }
        });
    }

    /** The call's arguments as Java values, or null when any is not known before the script runs (or fails). */
    private Object[] literals(MethodCallExpression mce) {
        Object[] values = values(mce);
        return allKnown(values) ? values : null;
    }

    /** The call's arguments as {@link #literal} evaluates them: values, {@link DslLiterals#NOT_CONSTANT} or failures. */
    private Object[] values(MethodCallExpression mce) {
        return arguments(mce).stream().map(this::literal).toArray();
    }

    private static boolean allKnown(Object[] values) {
        for (Object v : values) {
            if (v == DslLiterals.NOT_CONSTANT || v instanceof DslLiterals.Failed) {
                return false;
            }
        }
        return true;
    }

    private Object literal(Expression e) {
        return DslLiterals.of(e, new DslLiterals.Context() {
            @Override
            public Object call(MethodCallExpression call) {
                return literalCall(call);
            }

            @Override
            public Expression initializer(VariableExpression variable) {
                return onceAssigned(variable);
            }
        });
    }

    /**
     * The initialiser of a local variable of the script that nothing assigns again ({@code def lr = 0.3}; not a
     * binding variable, a field or a parameter), so its value is known before the script runs; else null. A typed
     * declaration counts only when its value already has the declared type (Groovy would convert it otherwise).
     */
    private Expression onceAssigned(VariableExpression use) {
        if (!(use.getAccessedVariable() instanceof VariableExpression declared) || getEnclosingClassNode() == null) {
            return null;
        }
        Assignments a = assignments.computeIfAbsent(getEnclosingClassNode(), Assignments::of);
        Expression init = a.reassigned.contains(declared) ? null : a.initial.get(declared);
        if (init == null || declared.isDynamicTyped() || ClassHelper.isObjectType(declared.getOriginType())) {
            return init;
        }
        Object value = literal(init);
        ClassNode type = ClassHelper.getWrapper(declared.getOriginType());
        return type.isResolved() && type.getTypeClass().isInstance(value) ? init : null;
    }

    /** A script's local variables: each one's initialiser, and which are assigned again (=, +=, ++ …). */
    private record Assignments(Map<Variable, Expression> initial, Set<Variable> reassigned) {

        static Assignments of(ClassNode script) {
            Map<Variable, Expression> initial = new IdentityHashMap<>();
            Set<Variable> reassigned = Collections.newSetFromMap(new IdentityHashMap<>());
            CodeVisitorSupport visitor = new CodeVisitorSupport() {
                @Override
                public void visitDeclarationExpression(DeclarationExpression d) {
                    if (d.isMultipleAssignmentDeclaration()) {
                        // def (a, b) = [1, 2]: not followed; each is treated as a variable that changes.
                        d.getTupleExpression().getExpressions().forEach(v -> reassigned.add((VariableExpression) v));
                    } else if (!(d.getRightExpression() instanceof EmptyExpression)) {
                        initial.put(d.getVariableExpression(), d.getRightExpression());
                    }
                    d.getRightExpression().visit(this);
                }

                @Override
                public void visitBinaryExpression(BinaryExpression b) {
                    if (Types.isAssignment(b.getOperation().getType())) {
                        Expression left = b.getLeftExpression();
                        for (Expression x : left instanceof TupleExpression t ? t.getExpressions() : List.of(left)) {
                            changed(x);
                            // `m.spam = 'spam'`, `m['ham'] = …`: the map or list the variable holds changes
                            changed(x instanceof PropertyExpression p ? p.getObjectExpression()
                                    : x instanceof BinaryExpression index ? index.getLeftExpression() : null);
                        }
                    } else if (b.getOperation().getType() == Types.LEFT_SHIFT) {
                        changed(b.getLeftExpression()); // `runs << a`
                    }
                    super.visitBinaryExpression(b);
                }

                @Override
                public void visitMethodCallExpression(MethodCallExpression call) {
                    changed(call.getObjectExpression()); // `m.put(…)`, `list.add(…)`: its value may change
                    super.visitMethodCallExpression(call);
                }

                @Override
                public void visitPrefixExpression(PrefixExpression p) {
                    changed(p.getExpression());
                    super.visitPrefixExpression(p);
                }

                @Override
                public void visitPostfixExpression(PostfixExpression p) {
                    changed(p.getExpression());
                    super.visitPostfixExpression(p);
                }

                private void changed(Expression e) {
                    if (e instanceof VariableExpression v) {
                        reassigned.add(v.getAccessedVariable() != null ? v.getAccessedVariable() : v);
                    }
                }
            };
            for (MethodNode m : script.getMethods()) {
                if (m.getCode() != null) {
                    m.getCode().visit(visitor);
                }
            }
            return new Assignments(initial, reassigned);
        }
    }

    /** text('…') / file('…') inside a block: evaluated the same way (errors are reported on their own call). */
    private Object literalCall(MethodCallExpression call) {
        if (call.isImplicitThis()) {
            MethodNode target = getTargetMethod(call);
            if (target != null && target.getDeclaringClass() != null && KEYWORDS.containsKey(target.getDeclaringClass().getName())) {
                Object[] args = literals(call);
                if (args != null) {
                    try {
                        return InvokerHelper.invokeMethod(DslReflection.newInstance(target.getDeclaringClass().getName()), call.getMethodAsString(), args);
                    } catch (RuntimeException ignored) {
                        return DslLiterals.NOT_CONSTANT;
                    }
                }
            }
        }
        return DslLiterals.NOT_CONSTANT;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** The spec type of the innermost enclosing block (a closure with @DelegatesTo), or null outside any block. */
    private ClassNode blockType() {
        for (TypeCheckingContext.EnclosingClosure c : getEnclosingClosureStack()) {
            Object d = c.getClosureExpression().getNodeMetaData(StaticTypesMarker.DELEGATION_METADATA);
            if (d != null) {
                return delegateType(d);
            }
        }
        return null;
    }

    /**
     * Whether the call is inside the value of a declaration of {@code name}: in {@code def f = { n -> f(n + 1) }} the
     * variable is in scope only after its declaration, so {@code f(…)} is a call of a method f, which was reported as
     * an unknown command.
     */
    private boolean callsItsOwnDeclaration(String name) {
        for (BinaryExpression b : getEnclosingBinaryExpressionStack()) {
            if (b instanceof DeclarationExpression d && !d.isMultipleAssignmentDeclaration()
                    && d.getVariableExpression().getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether we are in a closure passed to a script-level call already reported: not a command, or wrongly called. */
    private boolean insideUnknownCommand() {
        for (TypeCheckingContext.EnclosingClosure c : getEnclosingClosureStack()) {
            for (Expression call : getEnclosingMethodCalls()) {
                if (call instanceof MethodCallExpression mce && mce.isImplicitThis()
                        && arguments(mce).contains(c.getClosureExpression())
                        && (!DslReflection.hasMethod(PromptTuneScript.class, mce.getMethodAsString()) || wronglyCalled.contains(mce))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The verb whose block we are in ({@code promptTune}, {@code baseline}, …), for messages. */
    private String blockName(ClassNode block) {
        TypeCheckingContext.EnclosingClosure innermost = null;
        for (TypeCheckingContext.EnclosingClosure c : getEnclosingClosureStack()) {
            if (c.getClosureExpression().getNodeMetaData(StaticTypesMarker.DELEGATION_METADATA) != null) {
                innermost = c;
                break;
            }
        }
        if (innermost != null) {
            for (Expression call : getEnclosingMethodCalls()) {
                if (call instanceof MethodCallExpression mce && arguments(mce).contains(innermost.getClosureExpression())) {
                    return mce.getMethodAsString();
                }
            }
        }
        return BLOCK_NAMES.getOrDefault(block.getName(), block.getNameWithoutPackage());
    }

    /** DelegationMetadata#getType (the class is package-private in Groovy; its getter is read reflectively). */
    private static ClassNode delegateType(Object metadata) {
        try {
            Method getType = metadata.getClass().getDeclaredMethod("getType");
            getType.setAccessible(true);
            return (ClassNode) getType.invoke(metadata);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private boolean inScript() {
        ClassNode c = getEnclosingClassNode();
        return c != null && (c.isScript() || c.isDerivedFrom(ClassHelper.make(PromptTuneScript.class)));
    }

    private static boolean ours(ClassNode type) {
        return type != null && type.getName().startsWith("dev.prompttune.");
    }

    private static List<Expression> arguments(MethodCallExpression mce) {
        Expression a = mce.getArguments();
        return a instanceof TupleExpression t ? t.getExpressions() : List.of(a);
    }

    private void error(String message, ASTNode node) {
        if (reported.add(node.getLineNumber() + ":" + node.getColumnNumber() + ":" + message)) {
            addStaticTypeError(message, node);
        }
    }

    private static String suggestion(String name, List<String> known) {
        String n = Suggestions.nearest(name, known);
        return n != null ? "; did you mean '" + n + "'?" : "; known: " + String.join(", ", known);
    }

    private static String didYouMean(String name, Set<String> known) {
        return Suggestions.didYouMean(name, known);
    }
}
