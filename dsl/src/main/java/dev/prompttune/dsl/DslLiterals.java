package dev.prompttune.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;

/** Literal values in a DSL script's syntax tree, as the compile-time checks ({@link DslChecks}) evaluate them. */
final class DslLiterals {

    /** What {@link #of} returns for an expression whose value is not known before the script runs. */
    static final Object NOT_CONSTANT = new Object();

    private DslLiterals() {}

    /**
     * The value of a literal expression (constants, negated numbers, lists and maps of literals), {@code calls}
     * giving the value of a method call inside it, or {@link #NOT_CONSTANT}.
     */
    static Object of(Expression e, Function<MethodCallExpression, Object> calls) {
        if (e instanceof ConstantExpression c) {
            return c.getValue();
        }
        if (e instanceof UnaryMinusExpression u) {
            Object v = of(u.getExpression(), calls);
            if (v instanceof Integer i) {
                return -i;
            } else if (v instanceof Long l) {
                return -l;
            } else if (v instanceof BigDecimal d) {
                return d.negate();
            } else if (v instanceof BigInteger b) {
                return b.negate();
            } else if (v instanceof Double d) {
                return -d;
            } else if (v instanceof Float f) {
                return -f;
            }
            return NOT_CONSTANT;
        }
        if (e instanceof ListExpression l) {
            List<Object> out = new ArrayList<>();
            for (Expression x : l.getExpressions()) {
                Object v = of(x, calls);
                if (v == NOT_CONSTANT) {
                    return NOT_CONSTANT;
                }
                out.add(v);
            }
            return out;
        }
        if (e instanceof MapExpression m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (MapEntryExpression entry : m.getMapEntryExpressions()) {
                Object k = of(entry.getKeyExpression(), calls);
                Object v = of(entry.getValueExpression(), calls);
                if (k == NOT_CONSTANT || v == NOT_CONSTANT) {
                    return NOT_CONSTANT;
                }
                out.put(k, v);
            }
            return out;
        }
        if (e instanceof MethodCallExpression call) {
            return calls.apply(call);
        }
        return NOT_CONSTANT;
    }
}
