package dev.prompttune.core.spec;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.JsonFiles;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptInit;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything about a spec field that follows from its record component, so that a new field is written in three
 * places only — the {@link PromptTuneSpec} component, its {@link PromptTuneSpec.Builder} field and setter (same name,
 * the setter validates), and the DSL keyword method — and its JSON key ({@code spec.json}), its copy into a builder,
 * its reading back from JSON and its place in the canonical constructor come from here.
 *
 * <p>JSON values: paths as strings, the initialiser as its {@link PromptInit#describe()} object, the placement as its
 * key, a cluster as its {@link ClusterSpec#describe()} object; everything else as Gson writes it. Reading calls the
 * builder's setter of the same name (so a record is validated like a script), skipping absent keys, JSON nulls and
 * values equal to the builder's default (older records lack newer keys; some setters refuse their own "unset"
 * default, such as epochs 0).
 */
final class SpecFields {

    private static final RecordComponent[] COMPONENTS = PromptTuneSpec.class.getRecordComponents();

    private SpecFields() {}

    /** The component names, in declaration order (the JSON keys, the builder's setters). */
    static List<String> names() {
        return Arrays.stream(COMPONENTS).map(RecordComponent::getName).toList();
    }

    static JsonObject toJson(PromptTuneSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : COMPONENTS) {
            Object v = value(c, spec);
            m.put(c.getName(), v instanceof Path p ? p.toString() : v instanceof PromptInit i ? i.describe()
                    : v instanceof Placement p ? p.key() : v instanceof ClusterSpec cluster ? cluster.describe() : v);
        }
        return new GsonBuilder().serializeNulls().create().toJsonTree(m).getAsJsonObject(); // every field, unset ones as null
    }

    /** Copies every field of {@code spec} into the builder field of the same name. */
    static void copy(PromptTuneSpec spec, PromptTuneSpec.Builder builder) {
        for (RecordComponent c : COMPONENTS) {
            try {
                builderField(c.getName()).set(builder, value(c, spec));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The spec with the builder's fields, except those {@code resolved} gives (defaults computed at build time). */
    static PromptTuneSpec construct(PromptTuneSpec.Builder builder, Map<String, Object> resolved) {
        Object[] args = new Object[COMPONENTS.length];
        Class<?>[] types = new Class<?>[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            String name = COMPONENTS[i].getName();
            types[i] = COMPONENTS[i].getType();
            try {
                args[i] = resolved.containsKey(name) ? resolved.get(name) : builderField(name).get(builder);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            Constructor<PromptTuneSpec> canonical = PromptTuneSpec.class.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A spec from its JSON through the builder's setters.
     *
     * @param init how the initialiser's JSON object becomes a {@link PromptInit}
     */
    static PromptTuneSpec fromJson(JsonObject o, Function<JsonObject, PromptInit> init) {
        List<String> names = Arrays.stream(COMPONENTS).map(RecordComponent::getName).toList();
        for (String key : o.keySet()) {
            if (!names.contains(key)) {
                // A run writes only its settings: anything else was added by hand (or is a typo of one).
                throw new PromptTuneException("field '" + key + "' is not a setting of a run; allowed: " + names);
            }
        }
        PromptTuneSpec.Builder b = PromptTuneSpec.builder();
        PromptTuneSpec.Builder defaults = PromptTuneSpec.builder();
        for (RecordComponent c : COMPONENTS) {
            JsonElement e = o.get(c.getName());
            if (e == null || e.isJsonNull()) {
                continue;
            }
            Object value;
            try {
                value = c.getType() == PromptInit.class ? init.apply(e.getAsJsonObject())
                        : c.getType() == ClusterSpec.class ? ClusterSpec.fromJson(e.getAsJsonObject()) : read(e, c.getType());
            } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException bad) {
                // Gson's words ("For input string: \"twenty\"", "Not a JSON Object") name neither the field nor the type.
                throw new PromptTuneException("field '" + c.getName() + "' is " + e + "; allowed: " + kind(c.getType()));
            }
            try {
                Object current = builderField(c.getName()).get(defaults);
                if (value.equals(current) || (current instanceof Placement p && p.key().equals(value))) {
                    continue;
                }
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
            set(b, c.getName(), value);
        }
        return b.build();
    }

    /** What a field of this type holds, in words (for errors). */
    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == String.class || type == Path.class) {
            return "a string";
        } else if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a JSON object";
    }

    /**
     * A field's value, of exactly its type: Gson's own getters convert silently (2.5 to the int 2, "yes" to false, 5
     * to the string "5"), which let a hand-edited spec.json through. A mismatch throws IllegalStateException, which
     * {@link #fromJson} words as "field 'x' is V; allowed: …".
     */
    private static Object read(JsonElement e, Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return (int) whole(e, Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (type == long.class || type == Long.class) {
            return whole(e, Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (type == double.class || type == Double.class) {
            return primitive(e, JsonPrimitive::isNumber).getAsDouble();
        } else if (type == boolean.class || type == Boolean.class) {
            return primitive(e, JsonPrimitive::isBoolean).getAsBoolean();
        } else if (type == Path.class) {
            return Path.of(string(e));
        } else if (type == Map.class) {
            Map<String, String> m = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> m.put(x.getKey(), string(x.getValue())));
            return m;
        } else if (type == List.class) {
            List<String> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(string(x)));
            return l;
        }
        return string(e); // String, and enums by their key (the builder parses them)
    }

    private static JsonPrimitive primitive(JsonElement e, Predicate<JsonPrimitive> kind) {
        if (!e.isJsonPrimitive() || !kind.test(e.getAsJsonPrimitive())) {
            throw new IllegalStateException("wrong type");
        }
        return e.getAsJsonPrimitive();
    }

    private static String string(JsonElement e) {
        return primitive(e, JsonPrimitive::isString).getAsString();
    }

    private static long whole(JsonElement e, long min, long max) {
        Long v = JsonFiles.wholeNumber(e);
        if (v == null || v < min || v > max) {
            throw new IllegalStateException("not a whole number in range");
        }
        return v;
    }

    /** Calls the builder's setter {@code name} that takes {@code value} (a list goes to a varargs setter). */
    private static void set(PromptTuneSpec.Builder b, String name, Object value) {
        for (Method m : PromptTuneSpec.Builder.class.getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != 1) {
                continue;
            }
            Class<?> p = m.getParameterTypes()[0];
            Object arg = p.isArray() && value instanceof List<?> l ? l.toArray(String[]::new) : value;
            if (wrap(p).isInstance(arg)) {
                try {
                    m.invoke(b, arg);
                    return;
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new PromptTuneException("spec field '" + name + "' has no builder setter for " + value.getClass().getSimpleName());
    }

    private static Class<?> wrap(Class<?> c) {
        return c == int.class ? Integer.class : c == long.class ? Long.class : c == double.class ? Double.class
                : c == boolean.class ? Boolean.class : c;
    }

    private static Object value(RecordComponent c, PromptTuneSpec spec) {
        try {
            return c.getAccessor().invoke(spec);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field builderField(String name) {
        try {
            Field f = PromptTuneSpec.Builder.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("spec field '" + name + "' has no builder field of the same name", e);
        }
    }
}
