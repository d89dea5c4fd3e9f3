package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The command line's main in a child JVM (this test class path), its output lines collected as they come. */
final class CliProcess {

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private int seen;

    private CliProcess(Process process) {
        this.process = process;
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    /**
     * {@code prompttune ARGS} with {@code home} as prompttune.home, offline, started through {@code prefix} (none, or
     * e.g. {@code setpriv …}).
     */
    static CliProcess start(List<String> prefix, Path home, String... args) throws IOException {
        return startIn(null, prefix, home, args);
    }

    /** {@link #start} in the folder {@code dir} (null: this process's). */
    static CliProcess startIn(Path dir, List<String> prefix, Path home, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A background job of a non-interactive shell (CI, nohup ... &) starts with SIGINT ignored, and a JVM started
        // so keeps ignoring it, as a program should; the child is meant to behave as in a terminal, so it starts with
        // the default disposition (coreutils' env).
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("env", "--default-signal=INT", java.toString(),
                "-Dprompttune.home=" + home, "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), PromptTuneCli.class.getName()));
        command.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(command).directory(dir == null ? null : dir.toFile()).start());
    }

    private void collect(InputStream stream, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the child ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Waits (up to 2 minutes) for a new line of standard output that matches. */
    synchronized void await(Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            while (seen < out.size()) {
                if (line.test(out.get(seen++))) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && seen == out.size()) {
                process.destroyForcibly();
                throw new AssertionError("the expected line never came: " + this);
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, TimeUnit.SECONDS.toNanos(1)))));
        }
    }

    void signal(String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
    }

    int exit() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not exit within 2 minutes: " + this);
        }
        Thread.sleep(200); // let the readers drain
        return process.exitValue();
    }

    synchronized String out() {
        return String.join("\n", out);
    }

    synchronized String err() {
        return String.join("\n", err);
    }

    @Override
    public synchronized String toString() {
        return "stdout:\n" + out() + "\nstderr:\n" + err();
    }
}
