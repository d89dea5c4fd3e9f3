package dev.prompttune.dsl;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Groovy's type checker words a call it cannot match in Java, naming classes and methods the script never wrote. This
 * says the same in the script's terms, for the mistakes it can recognise:
 * <ul>
 *   <li>a keyword given values of the wrong type: {@code Cannot call dev.prompttune.dsl.SweepSpec#length(int, int[])
 *       with arguments [int, java.lang.String, int]} → {@code keyword 'length' cannot take (int, String, int); allowed:
 *       (int, int...)};
 *   <li>a variable called like a closure when the checker does not know it holds one: {@code def f; f = { n -> f(n + 1)
 *       }} gave {@code Cannot find matching method java.lang.Object#call(java.lang.Object)};
 *   <li>a method called on a value whose type has no such method, or whose type is not known ({@code def m = null;
 *       m.foo()}): {@code Cannot find matching method java.lang.Object#foo()};
 *   <li>a closure called with arguments its parameters do not take: {@code Cannot call closure that accepts [int] with
 *       [java.lang.String]} as the script is checked, or a MissingMethodException as it runs ({@link #closureCall}).
 * </ul>
 */
final class CallMismatch {

    private static final Pattern CANNOT_CALL = Pattern.compile(
            "Cannot call dev\\.prompttune\\.dsl\\.\\w+#(\\w+)\\((.*?)\\) with arguments \\[(.*)]");
    private static final Pattern NO_METHOD = Pattern.compile("Cannot find matching method ([\\w.$]+)#(\\w+)\\((.*?)\\)\\."
            + " Please check if the declared type is correct and if the method exists\\.");
    private static final Pattern CLOSURE_ARGS = Pattern.compile("Cannot call closure that accepts \\[(.*)] with \\[(.*)]");
    /** A call as written at the column the checker names: {@code f(}, or {@code m.foo(} / {@code m?.foo(}. */
    private static final Pattern CALL = Pattern.compile("([A-Za-z_$][\\w$]*)\\s*(\\(|\\??\\.\\s*([A-Za-z_$][\\w$]*)\\s*\\()");
    private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z]\\w*)");

    private CallMismatch() {}

    /**
     * The message in the script's terms, or {@code message} itself when it is none of the mistakes above.
     *
     * @param line the script's line the checker names (null: not known), to name the variable as the script wrote it
     * @param column the checker's column on it, 1-based (0: not known)
     */
    static String reword(String message, String line, int column) {
        Matcher closure = CLOSURE_ARGS.matcher(message);
        if (closure.lookingAt()) {
            return closureTakes(String.join(", ", split(simple(closure.group(1)))), String.join(", ", split(simple(closure.group(2)))));
        }
        Matcher none = NO_METHOD.matcher(message);
        // Only a class with a package: the script's own class (this.f(…)) has none, and its name means nothing to the user.
        if (none.lookingAt() && none.group(1).contains(".")) {
            return noMethod(simple(none.group(1)), none.group(2), String.join(", ", split(simple(none.group(3)))), line, column);
        }
        Matcher m = CANNOT_CALL.matcher(message);
        if (!m.lookingAt()) {
            return message;
        }
        List<String> allowed = split(simple(m.group(2)));
        if (!allowed.isEmpty() && allowed.get(allowed.size() - 1).endsWith("[]")) {
            String last = allowed.remove(allowed.size() - 1);
            allowed.add(last.substring(0, last.length() - 2) + "..."); // varargs: any number more
        }
        return "keyword '" + m.group(1) + "' cannot take (" + String.join(", ", split(simple(m.group(3)))) + "); allowed: ("
                + String.join(", ", allowed) + ")";
    }

    /**
     * A call the checker found no method for. The checker types a variable declared with {@code def} and no value,
     * one holding null, or an untyped closure parameter, as Object; inside the closure assigned to it, {@code f} in
     * {@code def f; f = { n -> f(n + 1) }} is still such a variable. Calling it by name is then a search for Object's
     * {@code call} method, which is what Groovy reported.
     */
    private static String noMethod(String type, String method, String args, String line, int column) {
        Matcher call = line == null || column < 1 || column > line.length() ? null
                : CALL.matcher(line).region(column - 1, line.length());
        if (call != null && call.lookingAt()) {
            String name = call.group(1);
            if (call.group(3) == null && method.equals("call")) { // f(…): Groovy reads it as f.call(…)
                return type.equals("Object")
                        ? name + "(…) cannot be checked: " + name + " is not known to hold a closure here (a def variable"
                                + " declared without a value, used inside the closure assigned to it, or an untyped"
                                + " closure parameter); declare it Closure " + name + " (e.g. Closure " + name + "; " + name
                                + " = { n -> … }) to call it by name"
                        : name + " holds " + article(type) + ", not a closure: it cannot be called as " + name + "(" + args + ")";
            }
            if (method.equals(call.group(3))) {
                return type.equals("Object")
                        ? name + "." + method + "(…) cannot be checked: " + name + " has no known type here (a def variable"
                                + " with no value or null, or an untyped closure parameter); give it a value first, or"
                                + " declare its type"
                        : name + " is " + article(type) + ", which has no method '" + method + "' taking (" + args + ")";
            }
        }
        // The call is not written at the checker's column as NAME( or NAME.METHOD(: say only what the checker said.
        return type.equals("Object") ? "method '" + method + "' cannot be checked: the value it is called on has no known"
                + " type here (a def variable with no value or null, or an untyped closure parameter)"
                : article(type) + " has no method '" + method + "' taking (" + args + ")";
    }

    /**
     * A closure called, as the script runs, with arguments it has no parameters for ({@code def f = { int n -> n };
     * f(1, 2)}: the checker passes it), which Groovy reports as a MissingMethodException naming the closure's
     * generated class; null when {@code e} is not such a call.
     */
    static String closureCall(MissingMethodException e) {
        if (e.getType() == null || !Closure.class.isAssignableFrom(e.getType())
                || !(e.getMethod().equals("call") || e.getMethod().equals("doCall"))) {
            return null;
        }
        // The closure's parameters are those of its generated doCall methods: more than one when some have defaults.
        List<String> takes = Arrays.stream(e.getType().getDeclaredMethods()).filter(m -> m.getName().equals("doCall"))
                .map(m -> Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")))
                .distinct().toList();
        if (takes.isEmpty()) {
            return null;
        }
        Object[] args = e.getArguments() == null ? new Object[0] : e.getArguments();
        return closureTakes(String.join(") or (", takes), Arrays.stream(args)
                .map(a -> a == null ? "null" : a.getClass().getSimpleName()).collect(Collectors.joining(", ")));
    }

    private static String closureTakes(String parameters, String arguments) {
        return "the closure takes (" + parameters + ") but is called with (" + arguments + ")";
    }

    /** "a String", "an Integer". */
    private static String article(String type) {
        return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    /** Type names without their packages: java.util.Map<java.lang.String, X> → Map<String, X>. */
    private static String simple(String types) {
        return PACKAGE.matcher(types).replaceAll("$1");
    }

    /** A parameter list split at its top-level commas (not those inside generics). */
    private static List<String> split(String types) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < types.length(); i++) {
            char c = types.charAt(i);
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(types.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!types.isBlank()) {
            out.add(types.substring(start).strip());
        }
        return out;
    }
}
