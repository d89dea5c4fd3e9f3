package dev.prompttune.core;

/** What to tell a user whose work ran out of Java heap: its size and the settings that give more. */
public final class JavaHeap {

    private JavaHeap() {}

    /** "at most 1,024 MiB", the heap this JVM may grow to. */
    public static String limit() {
        return String.format(java.util.Locale.ROOT, "at most %,d MiB", Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The settings that give a larger heap, for the command line and for notebooks. */
    public static String howToRaise() {
        return "a larger heap (-Xmx: PROMPTTUNE_JAVA_OPTS=-Xmx8g for bin/prompttune, kernel install --jvm-opt -Xmx8g "
                + "for notebooks)";
    }
}
