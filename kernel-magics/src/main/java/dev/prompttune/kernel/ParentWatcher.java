package dev.prompttune.kernel;

import java.util.Optional;

/**
 * Ends the kernel when the Jupyter client that started it dies. jupyter_client puts its pid in
 * {@code JPY_PARENT_PID}; without this a kernel whose client was killed keeps running (and keeps the
 * client's output pipe open).
 */
final class ParentWatcher {

    static final String ENV = "JPY_PARENT_PID";

    private ParentWatcher() {
    }

    /** Starts watching the pid in {@code JPY_PARENT_PID}, if set; returns whether a watcher runs. */
    static boolean watchFromEnvironment(Runnable onParentDeath) {
        String raw = System.getenv(ENV);
        if (raw == null || raw.isBlank()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            System.err.println("prompttune kernel: ignoring " + ENV + "=" + raw);
            return false;
        }
        return watch(pid, 500, onParentDeath);
    }

    /** Polls {@code pid} every {@code periodMillis}; runs {@code onDeath} once when it is gone. */
    static boolean watch(long pid, long periodMillis, Runnable onDeath) {
        if (pid == ProcessHandle.current().pid() || pid <= 1) {
            return false;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        Thread t = new Thread(() -> {
            // ProcessHandle.isAlive compares start times, so a recycled pid does not count as alive.
            while (parent.isPresent() && parent.get().isAlive()) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
            onDeath.run();
        }, "prompttune-parent-watcher");
        t.setDaemon(true);
        t.start();
        return true;
    }
}
