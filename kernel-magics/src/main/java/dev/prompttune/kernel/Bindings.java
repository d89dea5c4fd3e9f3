package dev.prompttune.kernel;

import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values magics hand back to the notebook's Java scope ({@link Notebook#bind}). The evaluator turns each pending
 * binding into a {@code var NAME = (TYPE) Notebook.bound("NAME");} snippet after the statement that made it.
 */
public final class Bindings {

    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
    private static final Map<String, String> PENDING = new LinkedHashMap<>();

    private Bindings() {
    }

    static void bind(String name, Object value) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Java variable name; use letters, digits and _ "
                    + "(not starting with a digit, not a Java keyword)");
        }
        if (value == null) {
            VALUES.remove(name);
        } else {
            VALUES.put(name, value);
        }
        synchronized (PENDING) {
            PENDING.put(name, value == null ? "Object" : visibleType(value.getClass()));
        }
    }

    static Object get(String name) {
        return VALUES.get(name);
    }

    /** Every bound value by name (a snapshot). */
    public static Map<String, Object> all() {
        return new LinkedHashMap<>(VALUES);
    }

    /** The type a binding of {@code value} is declared with: its nearest public class the notebook can name. */
    public static String typeOf(Object value) {
        return value == null ? "Object" : visibleType(value.getClass());
    }

    /** The bindings made since the last call: name → the type to declare. */
    public static Map<String, String> takePending() {
        synchronized (PENDING) {
            Map<String, String> out = new LinkedHashMap<>(PENDING);
            PENDING.clear();
            return out;
        }
    }

    /** True for a legal Java identifier that is not a keyword. */
    public static boolean isIdentifier(String name) {
        return name != null && javax.lang.model.SourceVersion.isName(name) && !name.contains(".");
    }

    /**
     * The value's class or its nearest public superclass that the notebook's code can name: loaded by the class
     * path's loader (a Groovy script's own classes are not), public, and not nested in something private.
     */
    static String visibleType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (nameable(c)) {
                return c.getCanonicalName();
            }
        }
        return "Object";
    }

    private static boolean nameable(Class<?> c) {
        if (c.getCanonicalName() == null || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        try {
            return Class.forName(c.getName(), false, ClassLoader.getSystemClassLoader()) == c;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
