package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.dsl.TestHomes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bin/prompttune copied into a bare repository layout under a temp folder, run with stand-in {@code java} and
 * {@code mvn} commands on the PATH that record their arguments (no build, no engine). Built: the dsl jar and its lib
 * folder exist; whether the launcher thinks it must rebuild is up to its build stamp.
 */
final class LauncherCopy {

    final Path root;
    final Path javaArgs;
    final Path mvnArgs;
    private final Path stubs;

    LauncherCopy(Path tmp) throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("bin/lib"));
        for (String file : List.of("bin/prompttune", "bin/lib/build-stamp.sh", "bin/lib/kernel-start.sh",
                "bin/lib/utf8-locale.sh", "bin/lib/run-jvm.sh")) {
            Files.copy(TestHomes.repo().resolve(file), root.resolve(file));
        }
        Files.createDirectories(root.resolve("dsl/target/lib"));
        Files.writeString(root.resolve("dsl/target/prompttune-dsl-0.1.0-SNAPSHOT.jar"), "");
        stubs = Files.createDirectories(tmp.resolve("stubs"));
        javaArgs = tmp.resolve("java-args.txt");
        mvnArgs = tmp.resolve("mvn-args.txt");
        stub("java", javaArgs);
        stub("mvn", mvnArgs);
    }

    /** The folder of the stand-in commands, to put first on a PATH. */
    Path stubs() {
        return stubs;
    }

    /** Marks the copy as built now (what a successful build of the dsl module leaves). */
    LauncherCopy built() throws Exception {
        Files.writeString(root.resolve("dsl/target/.prompttune-built-dsl"), "");
        return this;
    }

    /** Marks the kernel as built now: its jar, lib folder and build stamp (what `kernel install` builds). */
    LauncherCopy kernelBuilt() throws Exception {
        Files.createDirectories(root.resolve("kernel-magics/target/lib"));
        Files.writeString(root.resolve("kernel-magics/target/prompttune-kernel-magics-0.1.0-SNAPSHOT.jar"), "");
        Files.writeString(root.resolve("kernel-magics/target/.prompttune-built"), "");
        return this;
    }

    /**
     * Starts a notebook kernel as Jupyter does with the kernel.json `kernel install` writes: the copy's
     * bin/lib/kernel-start.sh with the JVM command after it (here {@code command}, a stand-in). Output goes to
     * {@code log}.
     */
    Process startKernel(Map<String, String> env, Path log, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(root.resolve("bin/lib/kernel-start.sh").toString()));
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PATH", stubs + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        return pb.start();
    }

    private void stub(String name, Path record) throws Exception {
        stub(name, "printf '%s\\n' \"$@\" >> '" + record + "'");
    }

    /** Replaces the stand-in command {@code name} by a shell script with {@code body}. */
    void stub(String name, String body) throws Exception {
        Path p = Files.writeString(stubs.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Starts the copied launcher with {@code args} without waiting; output goes to {@code log}. */
    Process start(Path log, String... args) throws Exception {
        return start(List.of(), log, args);
    }

    /**
     * As {@link #start(Path, String...)}, run through {@code prefix} (e.g. {@code setpriv …}, to start it without
     * root's permission override).
     */
    Process start(List<String> prefix, Path log, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("bash", root.resolve("bin/prompttune").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PATH", stubs + ":" + System.getenv("PATH"));
        pb.environment().remove("PROMPTTUNE_FLAVOR");
        pb.environment().remove("PROMPTTUNE_JAVA_OPTS");
        return pb.start();
    }

    /** Runs the copied launcher with {@code args}; returns its output (stdout and stderr) after a zero exit. */
    String run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("bin/prompttune").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", stubs + ":" + System.getenv("PATH"));
        pb.environment().remove("PROMPTTUNE_FLAVOR");
        pb.environment().remove("PROMPTTUNE_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        if (p.exitValue() != 0) {
            throw new AssertionError("launcher exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
