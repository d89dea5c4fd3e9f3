package dev.prompttune.dsl;

import java.util.Set;
import java.util.stream.Collectors;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Makes a script's {@code @Field} variables and its own methods usable inside the verbs' blocks: {@code @Field int n = 5}
 * or {@code int n() { 5 }}, then {@code promptTune { length n }} or {@code promptTune { length n() }}.
 *
 * <p>The blocks resolve names against their spec only ({@code DELEGATE_ONLY}, so that a misspelt keyword is an error
 * rather than a lookup in the script), which hid the script's fields too: {@code n} was an "unknown keyword" at
 * compile time and a missing property when run, and {@code n()} an "unknown keyword". A local variable
 * ({@code def n = 5}) was always seen, being captured by the closure. Here each name of a script field inside a block,
 * where no local or parameter of that name hides it, becomes {@code this.n}, and each call of a script method that is
 * no keyword of a block becomes {@code this.n()}: {@code this} in a closure is the script, so they are read as they
 * would be outside.
 */
final class ScriptMembersInBlocks extends CompilationCustomizer {

    /** The script commands whose last argument is a block with {@code DELEGATE_ONLY} names. */
    private static final Set<String> BLOCK_VERBS = Set.of("promptTune", "sweep", "baseline");

    /** Names a block resolves itself (its keywords, nested blocks' keywords): a script method of such a name is not used. */
    private static final Set<String> BLOCK_KEYWORDS = java.util.stream.Stream.of(SweepSpec.class, OptimizerSpec.class,
                    ClusterBlock.class)
            .flatMap(c -> java.util.Arrays.stream(c.getMethods())).map(java.lang.reflect.Method::getName)
            .collect(Collectors.toSet());

    ScriptMembersInBlocks() {
        // After @Field has made its fields (semantic analysis), before the type checker reads the blocks.
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        Set<String> fields = classNode.getFields().stream()
                .filter(f -> !f.isSynthetic() && !f.getName().startsWith("$") && !f.getName().startsWith("__"))
                .map(FieldNode::getName).collect(Collectors.toSet());
        Set<String> methods = classNode.getMethods().stream()
                .filter(m -> !m.isSynthetic() && !m.getName().equals("run") && !m.getName().equals("main")
                        && !m.getName().startsWith("$") && !BLOCK_KEYWORDS.contains(m.getName()))
                .map(org.codehaus.groovy.ast.MethodNode::getName).collect(Collectors.toSet());
        if (!fields.isEmpty() || !methods.isEmpty()) {
            new Rewriter(source, fields, methods).visitClass(classNode);
        }
    }

    private static final class Rewriter extends ClassCodeExpressionTransformer {
        private final SourceUnit source;
        private final Set<String> fields;
        private final Set<String> methods;
        private int blocks; // how many verbs' blocks enclose the expression

        Rewriter(SourceUnit source, Set<String> fields, Set<String> methods) {
            this.source = source;
            this.fields = fields;
            this.methods = methods;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public Expression transform(Expression e) {
            if (e instanceof MethodCallExpression call && call.isImplicitThis()
                    && BLOCK_VERBS.contains(call.getMethodAsString())) {
                blocks++;
                try {
                    return super.transform(e);
                } finally {
                    blocks--;
                }
            }
            if (blocks > 0 && e instanceof MethodCallExpression call && call.isImplicitThis()
                    && methods.contains(call.getMethodAsString())) {
                MethodCallExpression onScript = new MethodCallExpression(new VariableExpression("this"),
                        call.getMethodAsString(), transform(call.getArguments()));
                onScript.setImplicitThis(false);
                onScript.setSourcePosition(call);
                return onScript;
            }
            if (e instanceof ClosureExpression closure) {
                // A closure's code is not among the expressions a transformer walks by itself.
                closure.getCode().visit(this);
                return closure;
            }
            if (blocks > 0 && e instanceof VariableExpression v && fields.contains(v.getName())
                    && (v.getAccessedVariable() instanceof FieldNode || v.getAccessedVariable() instanceof DynamicVariable)) {
                PropertyExpression field = new PropertyExpression(new VariableExpression("this"), v.getName());
                field.setSourcePosition(v);
                return field;
            }
            return super.transform(e);
        }
    }
}
