package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * A {@code cluster { master …; workers …; conf … }} block of literal settings, checked as a whole at compile time as
 * {@code cluster 'URL'} is ({@link TuneSpec#checkCluster}: a cluster backend on the class path that accepts it, workers
 * for a master that does not imply them). Each keyword is checked on its own line already; the block as a whole was
 * not, so {@code run --check} passed a block that the run refused ("needs the prompttune-spark module") after the
 * runs before it had trained.
 */
final class LiteralClusterBlock {

    /** Settings without which the whole cannot be judged: their own error is the one to report. */
    private static final Set<String> NEEDED = Set.of("master", "workers");

    private LiteralClusterBlock() {}

    /**
     * The problem of the block as a whole, or null when there is none or it cannot be known before the script runs
     * (a setting that is not a literal, code other than keyword calls, a master or workers that failed on its line).
     * A conf setting that failed is left out: the backend's check does not depend on it.
     */
    static String problem(ClosureExpression block, Function<MethodCallExpression, Object[]> literals) {
        ClusterBlock settings = new ClusterBlock();
        Statement code = block.getCode();
        for (Statement statement : code instanceof BlockStatement b ? b.getStatements() : List.of(code)) {
            if (!(statement instanceof ExpressionStatement es) || !(es.getExpression() instanceof MethodCallExpression call)
                    || !call.isImplicitThis() || !ClusterBlock.KEYWORDS.contains(call.getMethodAsString())) {
                return null;
            }
            Object[] values = literals.apply(call);
            if (values == null) {
                return null;
            }
            try {
                InvokerHelper.invokeMethod(settings, call.getMethodAsString(), values);
            } catch (RuntimeException e) {
                if (NEEDED.contains(call.getMethodAsString())) {
                    return null;
                }
            }
        }
        try {
            TuneSpec.checkCluster(settings);
            return null;
        } catch (PromptTuneException e) {
            return e.getMessage();
        }
    }
}
