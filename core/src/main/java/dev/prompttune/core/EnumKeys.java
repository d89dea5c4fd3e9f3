package dev.prompttune.core;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Enums named by a key in specs, task.json and records (metric, evaluation mode, optimizer, stop reason): the list
 * of keys an error offers, and the lookup that fails with one line naming the setting, the value and the keys.
 */
public final class EnumKeys {

    private EnumKeys() {}

    /** Every key, in declaration order. */
    public static <E extends Enum<E>> List<String> keys(E[] values, Function<E, String> key) {
        return Arrays.stream(values).map(key).toList();
    }

    /**
     * The constant whose key is {@code value}.
     *
     * @param what the setting's name in the error ("metric", "optimizer", …)
     */
    public static <E extends Enum<E>> E of(E[] values, Function<E, String> key, String what, String value) {
        for (E e : values) {
            if (key.apply(e).equals(value)) {
                return e;
            }
        }
        throw new PromptTuneException(what + " '" + value + "' is not known; allowed: " + String.join(", ", keys(values, key)));
    }
}
