package dev.prompttune.dsl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;

/**
 * What the DSL's compile-time checks ({@link DslChecks}) read from the block classes by reflection: which keywords
 * (methods) and properties a block has, and a wrong-type message that lists a keyword's accepted values.
 */
final class DslReflection {

    private DslReflection() {}

    static String wrongType(Class<?> type, String name, ArgumentListExpression arguments, ClassNode[] argumentTypes) {
        // Sorted: getMethods() has no fixed order, and one script's error must read the same on every run.
        Set<String> expected = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getDeclaringClass() != Object.class) {
                expected.add(signature(m));
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < argumentTypes.length; i++) {
            Expression e = i < arguments.getExpressions().size() ? arguments.getExpressions().get(i) : null;
            String text = e instanceof ConstantExpression c && c.getValue() instanceof String s ? "'" + s + "'" : e == null ? "" : e.getText();
            got.add(argumentTypes[i].getNameWithoutPackage() + (text.isEmpty() ? "" : " (" + text + ")"));
        }
        if (expected.contains("int") && argumentTypes.length == 1 && argumentTypes[0].getNameWithoutPackage().equals("long")
                && arguments.getExpressions().size() == 1 && arguments.getExpressions().get(0) instanceof ConstantExpression c) {
            // Groovy types a whole number beyond int's range as long: the value, not its type, is wrong.
            return tooLarge(name, c.getText(), "int");
        }
        boolean takesSeveral = expected.stream().anyMatch(e -> e.endsWith(", …"));
        boolean oneParameter = expected.size() == 1 && !expected.iterator().next().contains(", ");
        if (!takesSeveral && argumentTypes.length > 1 && oneParameter && !expected.contains("no value")) {
            // Several values for a one-value keyword: "expected int, got int (32), int (64)" would point nowhere.
            List<String> several = severalValueKeywords(type);
            return "'" + name + "' takes one value (" + expected.iterator().next() + "), got " + argumentTypes.length
                    + ": " + String.join(", ", got) + (several.isEmpty() ? ""
                    : "; keywords that take several values here: " + String.join(", ", several));
        }
        // A sweep keyword takes one value or several: say so once.
        for (String e : List.copyOf(expected)) {
            if (e.endsWith(", …")) {
                String single = e.substring(0, e.indexOf(','));
                expected.remove(single);
                expected.remove(e);
                expected.add(single + " (one or more, comma-separated)");
            }
        }
        boolean initValue = !name.equals("init") && got.stream().anyMatch(g -> g.startsWith("PromptInit"));
        // `length sizes` with a list in a variable: a sweep's values are written out in the block.
        boolean listOfValues = takesSeveral && got.stream().anyMatch(g -> g.startsWith("List") || g.startsWith("ArrayList"));
        // An untyped closure parameter or def variable whose value the checks cannot see ({ y -> … length y }):
        // Groovy would run it, so say how to give it a type rather than only that it has none.
        boolean untyped = got.size() == 1 && got.get(0).startsWith("Object (");
        return "wrong type for '" + name + "': expected " + String.join(" or ", expected) + ", got "
                + (got.isEmpty() ? "no value" : String.join(", ", got))
                + (initValue ? "; file('…') and text('…') are values of init: give " + name + " a path or name as a "
                        + "string, e.g. " + name + " '/path/to/it'" : "")
                + (listOfValues ? SWEEP_LIST_HINT.formatted(name) : "")
                + (untyped && !initValue ? "; its type is not known before the script runs: declare it where it is "
                        + "given, e.g. { int y -> … } for a closure's parameter, or int y = … for a variable" : "");
    }

    /** How to sweep values kept in a list, for messages ({@code %s}: the keyword). */
    static final String SWEEP_LIST_HINT = "; a sweep's values are written out in its block (%1$s 1, 5, 20); for values "
            + "kept in a list, train one run per value: sizes.collect { n -> promptTune { %1$s n; … } }";

    /** The keywords of {@code type} that take several values (a sweep's axes), sorted. */
    static List<String> severalValueKeywords(Class<?> type) {
        Set<String> out = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && signature(m).endsWith(", …")) {
                out.add(m.getName());
            }
        }
        return List.copyOf(out);
    }

    /** "lr is 1e400: too large for a double (at most 1.8e308 in size)": a literal beyond its parameter type's range. */
    static String tooLarge(String keyword, String value, String type) {
        String limit = switch (type) {
            case "int", "Integer" -> " (at most 2147483647 in size)";
            case "long", "Long" -> " (at most 9223372036854775807 in size)";
            case "double", "Double" -> " (at most 1.8e308 in size)";
            case "float", "Float" -> " (at most 3.4e38 in size)";
            default -> "";
        };
        return keyword + " is " + value + ": too large for " + (type.matches("[aeiouAEIOU].*") ? "an " : "a ") + type + limit;
    }

    static String signature(Method m) {
        Class<?>[] p = m.getParameterTypes();
        if (p.length == 0) {
            return "no value";
        }
        if (m.isVarArgs() && p.length == 2 && p[1].getComponentType() == p[0]) {
            return simple(p[0]) + ", " + simple(p[0]) + ", …";
        }
        if (m.isVarArgs() && p.length == 1) {
            return simple(p[0].getComponentType()) + ", …";
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : p) {
            names.add(simple(c));
        }
        return p.length == 1 ? names.get(0) : "(" + String.join(", ", names) + ")";
    }

    static String simple(Class<?> c) {
        return c.getSimpleName().equals("Closure") ? "{ block }" : c.getSimpleName();
    }

    static boolean hasMethod(Class<?> type, String name) {
        if (type == null) {
            return false;
        }
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getDeclaringClass() != Object.class) {
                return true;
            }
        }
        return false;
    }

    static Set<String> methodNames(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /** Record components, getters as properties, and no-argument methods. */
    static Set<String> propertyNames(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String n = m.getName();
            if (n.startsWith("get") && n.length() > 3) {
                n = Character.toLowerCase(n.charAt(3)) + n.substring(4);
            }
            names.add(n);
        }
        return names;
    }

    static Class<?> load(ClassNode node) {
        try {
            return Class.forName(node.getName(), false, DslReflection.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static Object newInstance(String className) {
        try {
            return Class.forName(className, true, DslReflection.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a scratch " + className, e);
        }
    }
}
