package dev.prompttune.dsl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.UnaryPlusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.Types;

/**
 * Values in a DSL script's syntax tree that are known before the script runs, as the compile-time checks
 * ({@link DslChecks}) evaluate them: literals (constants, negated numbers, lists and maps of literals), the constants
 * of the JDK's number classes and {@code Math} ({@code Double.NaN}, {@code Integer.MIN_VALUE}), {@code Math}'s
 * functions of such values, arithmetic on them ({@code 0.1 * 3}, {@code 0.0 / 0.0}), and local variables assigned
 * once to such a value. Operators are applied with Groovy's own runtime, so a value is exactly the one the script
 * would compute ({@code Integer.MAX_VALUE + 1} wraps, {@code 0.0 / 0.0} fails as BigDecimal division does); so a
 * setting such as {@code lr Double.NaN} is refused by {@code run --check} with the message the run would give.
 */
final class DslLiterals {

    /** What {@link #of} returns for an expression whose value is not known before the script runs. */
    static final Object NOT_CONSTANT = new Object();

    /**
     * What {@link #of} returns for an expression that fails when evaluated ({@code 0.0 / 0.0}): the error the run
     * would report, as {@link ScriptRunner} words it ({@code ArithmeticException: Division undefined}), and where.
     */
    record Failed(String message, Expression where) {}

    /** What the caller knows of the script beyond the expression itself. */
    interface Context {

        /** The value of a DSL call inside a value ({@code text('…')}, {@code file('…')}), or {@link #NOT_CONSTANT}. */
        Object call(MethodCallExpression call);

        /** The one value a local variable is ever given (its initialiser), or null when it may change or is not local. */
        Expression initializer(VariableExpression variable);
    }

    /** Classes whose constants ({@code public static final} fields) and functions have a fixed value. */
    private static final Set<Class<?>> CONSTANT_CLASSES = Set.of(Byte.class, Short.class, Integer.class, Long.class,
            Float.class, Double.class, Boolean.class, Math.class, StrictMath.class);

    /**
     * Groovy's operator methods for numbers ({@code a * b} is {@code a.multiply(b)}; {@code a % b} is the numbers'
     * {@code mod}, which keeps the sign of {@code a} as {@code %} does); other operators are not evaluated.
     */
    private static final Map<Integer, String> OPERATORS = Map.of(Types.PLUS, "plus", Types.MINUS, "minus",
            Types.MULTIPLY, "multiply", Types.DIVIDE, "div", Types.INTDIV, "intdiv", Types.MOD, "mod",
            Types.POWER, "power");

    /** Exponents beyond this are not evaluated (a double overflows at 2 ** 1024 anyway). */
    private static final int MAX_EXPONENT = 1024;

    /** Whole numbers and decimals with more bits than this are not computed with further: see {@link #huge}. */
    private static final int MAX_BITS = 4096;

    private DslLiterals() {}

    /** Whether a value is too large to compute with at compile time (arbitrary-precision arithmetic gets slow). */
    private static boolean huge(Number n) {
        if (n instanceof BigInteger b) {
            return b.bitLength() > MAX_BITS;
        }
        if (n instanceof BigDecimal d) {
            return d.unscaledValue().bitLength() > MAX_BITS || Math.abs(d.scale()) > MAX_BITS;
        }
        return false;
    }

    /** The value of {@code e} when it is known before the script runs, a {@link Failed}, or {@link #NOT_CONSTANT}. */
    static Object of(Expression e, Context context) {
        return of(e, context, 0);
    }

    private static Object of(Expression e, Context context, int depth) {
        if (depth > 100) {
            return NOT_CONSTANT; // a pathological chain of variables: leave it to run time
        }
        if (e instanceof ConstantExpression c) {
            return c.getValue();
        }
        if (e instanceof UnaryMinusExpression u) {
            Object v = of(u.getExpression(), context, depth + 1);
            if (v instanceof Failed) {
                return v;
            }
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
        if (e instanceof UnaryPlusExpression u) {
            Object v = of(u.getExpression(), context, depth + 1);
            return v instanceof Number || v instanceof Failed ? v : NOT_CONSTANT;
        }
        if (e instanceof ListExpression l) {
            List<Object> out = new ArrayList<>();
            for (Expression x : l.getExpressions()) {
                Object v = of(x, context, depth + 1);
                if (v == NOT_CONSTANT || v instanceof Failed) {
                    return v;
                }
                out.add(v);
            }
            return out;
        }
        if (e instanceof MapExpression m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (MapEntryExpression entry : m.getMapEntryExpressions()) {
                Object k = of(entry.getKeyExpression(), context, depth + 1);
                Object v = of(entry.getValueExpression(), context, depth + 1);
                for (Object x : new Object[] {k, v}) {
                    if (x == NOT_CONSTANT || x instanceof Failed) {
                        return x;
                    }
                }
                out.put(k, v);
            }
            return out;
        }
        if (e instanceof PropertyExpression p && !p.isSafe() && p.getObjectExpression() instanceof ClassExpression c) {
            return constant(c.getType(), p.getPropertyAsString());
        }
        if (e instanceof BinaryExpression b && OPERATORS.containsKey(b.getOperation().getType())) {
            Object left = of(b.getLeftExpression(), context, depth + 1);
            if (!(left instanceof Number)) {
                return left instanceof Failed ? left : NOT_CONSTANT;
            }
            Object right = of(b.getRightExpression(), context, depth + 1);
            if (!(right instanceof Number)) {
                return right instanceof Failed ? right : NOT_CONSTANT;
            }
            if (huge((Number) left) || huge((Number) right)
                    || b.getOperation().getType() == Types.POWER && Math.abs(((Number) right).doubleValue()) > MAX_EXPONENT) {
                // `lr 0.1 * 7 ** 2000000`: computing it took minutes at compile time; the run may do so if it likes.
                return NOT_CONSTANT;
            }
            return apply(left, OPERATORS.get(b.getOperation().getType()), new Object[] {right}, b);
        }
        if (e instanceof VariableExpression v) {
            Expression initializer = context.initializer(v);
            return initializer == null ? NOT_CONSTANT : of(initializer, context, depth + 1);
        }
        if (e instanceof MethodCallExpression call) {
            if (call.getObjectExpression() instanceof ClassExpression c && !call.isSafe() && !call.isSpreadSafe()) {
                return function(c.getType(), call, context, depth);
            }
            return context.call(call);
        }
        return NOT_CONSTANT;
    }

    /** {@code Double.NaN}, {@code Integer.MIN_VALUE}, {@code Math.PI}: a constant of a JDK number class or Math. */
    private static Object constant(ClassNode type, String name) {
        Class<?> c = constantClass(type);
        if (c == null || name == null) {
            return NOT_CONSTANT;
        }
        try {
            Field f = c.getField(name);
            int m = f.getModifiers();
            return Modifier.isStatic(m) && Modifier.isFinal(m) ? f.get(null) : NOT_CONSTANT;
        } catch (ReflectiveOperationException | RuntimeException ex) {
            return NOT_CONSTANT;
        }
    }

    /** {@code Math.sqrt(-1)}: a function of Math with arguments that are all known (not {@code Math.random()}). */
    private static Object function(ClassNode type, MethodCallExpression call, Context context, int depth) {
        Class<?> c = constantClass(type);
        if (c != Math.class && c != StrictMath.class || call.getMethodAsString() == null
                || !(call.getArguments() instanceof TupleExpression t) || t.getExpressions().isEmpty()) {
            return NOT_CONSTANT;
        }
        List<Object> args = new ArrayList<>();
        for (Expression a : t.getExpressions()) {
            Object v = of(a, context, depth + 1);
            if (!(v instanceof Number)) {
                return v instanceof Failed ? v : NOT_CONSTANT;
            }
            args.add(v);
        }
        return apply(c, call.getMethodAsString(), args.toArray(), call);
    }

    private static Class<?> constantClass(ClassNode type) {
        if (type == null || !type.isResolved()) {
            return null;
        }
        Class<?> c = type.getTypeClass();
        return CONSTANT_CLASSES.contains(c) ? c : null;
    }

    /**
     * The method applied as the running script would apply it (Groovy's runtime picks the same method and converts
     * the same way); when it fails, the error the run would report.
     */
    private static Object apply(Object receiver, String method, Object[] args, Expression where) {
        try {
            return receiver instanceof Class<?> c ? InvokerHelper.invokeStaticMethod(c, method, args)
                    : InvokerHelper.invokeMethod(receiver, method, args);
        } catch (ArithmeticException e) {
            return failed(e, where);
        } catch (InvokerInvocationException e) {
            return e.getCause() instanceof ArithmeticException a ? failed(a, where) : NOT_CONSTANT;
        } catch (RuntimeException e) {
            return NOT_CONSTANT; // no such method for these values, or another surprise: the run will say what it is
        }
    }

    /** Worded as ScriptRunner words an exception thrown by the script's own code. */
    private static Failed failed(ArithmeticException e, Expression where) {
        return new Failed(e.getMessage() == null ? "ArithmeticException" : "ArithmeticException: " + e.getMessage(), where);
    }
}
