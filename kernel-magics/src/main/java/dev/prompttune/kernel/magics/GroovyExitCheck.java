package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.CellExit;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.transform.stc.StaticTypesMarker;

/**
 * Refuses, when a %%groovy cell compiles, a call of {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}
 * (also as a method pointer, {@code System.&exit}): in the kernel it would end the notebook's JVM silently
 * ({@link CellExit}). Runs after the DSL's type checking (same phase, added later), so a call is known by the method it
 * resolved to; where the checker left a call dynamic, by how it is written. Command-line scripts do not get this check:
 * their exit status is the process's.
 */
final class GroovyExitCheck extends CompilationCustomizer {

    GroovyExitCheck() {
        super(CompilePhase.INSTRUCTION_SELECTION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                MethodNode target = call.getNodeMetaData(StaticTypesMarker.DIRECT_METHOD_CALL_TARGET);
                String refused = target != null && target.getDeclaringClass() != null
                        ? refused(target.getDeclaringClass().getName(), target.getName())
                        : refused(typeOf(call.getObjectExpression()), call.getMethodAsString());
                report(source, call, refused);
                super.visitMethodCallExpression(call);
            }

            @Override
            public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                report(source, call, refused(call.getOwnerType().getName(), call.getMethod()));
                super.visitStaticMethodCallExpression(call);
            }

            @Override
            public void visitMethodPointerExpression(MethodPointerExpression pointer) {
                report(source, pointer, refused(typeOf(pointer.getExpression()), pointer.getMethodName().getText()));
                super.visitMethodPointerExpression(pointer);
            }
        }.visitClass(classNode);
    }

    /** {@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt} as the refusal names them, else null. */
    static String refused(String type, String method) {
        if (type == null || method == null) {
            return null;
        }
        if (type.equals("java.lang.System") && method.equals("exit")) {
            return "System.exit";
        }
        if (type.equals("java.lang.Runtime") && (method.equals("exit") || method.equals("halt"))) {
            return "Runtime." + method;
        }
        return null;
    }

    /**
     * The class a receiver is known to be: a class written as such ({@code System}), a type the checker inferred
     * ({@code Runtime.getRuntime()}, a variable holding it), or {@code Runtime.runtime}.
     */
    private static String typeOf(Expression receiver) {
        if (receiver instanceof ClassExpression c) {
            return c.getType().getName();
        }
        ClassNode inferred = receiver.getNodeMetaData(StaticTypesMarker.INFERRED_TYPE);
        if (inferred != null) {
            return inferred.getName();
        }
        if (receiver instanceof PropertyExpression p && p.getObjectExpression() instanceof ClassExpression c
                && c.getType().getName().equals("java.lang.Runtime") && "runtime".equals(p.getPropertyAsString())) {
            return "java.lang.Runtime";
        }
        if (receiver instanceof MethodCallExpression m && m.getObjectExpression() instanceof ClassExpression c
                && c.getType().getName().equals("java.lang.Runtime") && "getRuntime".equals(m.getMethodAsString())) {
            return "java.lang.Runtime";
        }
        return null;
    }

    private static void report(SourceUnit source, ASTNode at, String refused) {
        if (refused != null) {
            source.getErrorCollector().addErrorAndContinue(new SyntaxErrorMessage(
                    new SyntaxException(CellExit.message(refused), at.getLineNumber(), at.getColumnNumber()), source));
        }
    }
}
