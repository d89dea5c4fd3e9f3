package dev.prompttune.kernel;

import java.util.Map;

/**
 * One line on standard error (the kernel's log, which Jupyter shows) when the kernel's JVM ends through the JVM's own
 * exit rather than the kernel's: a cell that still reached {@code System.exit} (by reflection, or a library calling it:
 * direct calls are refused, see {@link CellExit}), or a signal the kernel does not handle (SIGHUP). Such an end used to
 * be silent: the client saw the cell start and then nothing. The kernel's own ends ({@link KernelExit}) use
 * {@code _exit}, which runs no shutdown hook, so this line never appears on a normal shutdown or restart.
 */
final class ExitReport {

    private ExitReport() {
    }

    static void install() {
        Thread hook = new Thread(() -> System.err.println(describe(Thread.getAllStackTraces())), "prompttune-exit-report");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why the JVM is ending, from the stacks of its threads while the exit waits for the shutdown hooks. */
    static String describe(Map<Thread, StackTraceElement[]> stacks) {
        for (Map.Entry<Thread, StackTraceElement[]> e : stacks.entrySet()) {
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().equals("java.lang.Runtime") && frames[i].getMethodName().equals("exit")) {
                    int caller = i + 1;
                    // The first frame outside the JDK: System.exit's caller, past reflection's frames.
                    while (caller < frames.length && frames[caller].getClassName().matches("(java|jdk|sun)\\..*")) {
                        caller++;
                    }
                    return "prompttune kernel: ending: System.exit was called"
                            + (caller < frames.length ? " at " + frames[caller] : "") + " (thread " + e.getKey().getName()
                            + "); the notebook's runs and variables end with the kernel";
                }
            }
        }
        for (Map.Entry<Thread, StackTraceElement[]> e : stacks.entrySet()) {
            for (StackTraceElement f : e.getValue()) {
                if (f.getClassName().equals("java.lang.Shutdown") && f.getMethodName().equals("exit")) {
                    return "prompttune kernel: ending: the JVM was told to exit (thread " + e.getKey().getName() + ")";
                }
            }
        }
        return "prompttune kernel: ending: the JVM exits (its last non-daemon thread ended)";
    }
}
