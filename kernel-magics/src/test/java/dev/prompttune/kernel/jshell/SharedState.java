package dev.prompttune.kernel.jshell;

/** A static that cells write to: proves cells run in the test's JVM and class loader. */
public final class SharedState {
    public static volatile Object value;

    private SharedState() {
    }
}
