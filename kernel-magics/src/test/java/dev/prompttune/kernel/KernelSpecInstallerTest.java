package dev.prompttune.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSpecInstallerTest {

    /** The user's kernels go where jupyter_core looks: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME, else under $HOME. */
    @Test
    void userInstallGoesWhereJupyterLooks() {
        String passwdHome = "/nonexistent";
        assertEquals(Path.of("/home/alice/.local/share/jupyter"),
                KernelSpecInstaller.userDataDir(java.util.Map.of("HOME", "/home/alice"), passwdHome, "Linux"),
                "$HOME, as Python's expanduser reads it, not the password file's home (Java's user.home)");
        assertEquals(Path.of("/nonexistent/.local/share/jupyter"),
                KernelSpecInstaller.userDataDir(java.util.Map.of(), passwdHome, "Linux"), "no $HOME: the password file's");
        assertEquals(Path.of("/x/jupyter"), KernelSpecInstaller.userDataDir(
                java.util.Map.of("HOME", "/home/alice", "XDG_DATA_HOME", "/x"), passwdHome, "Linux"));
        assertEquals(Path.of("/d"), KernelSpecInstaller.userDataDir(
                java.util.Map.of("HOME", "/home/alice", "XDG_DATA_HOME", "/x", "JUPYTER_DATA_DIR", "/d"), passwdHome, "Linux"));
        assertEquals(Path.of("/home/alice/Library/Jupyter"),
                KernelSpecInstaller.userDataDir(java.util.Map.of("HOME", "/home/alice"), passwdHome, "Mac OS X"));
    }

    @Test
    void writesKernelJsonUnderThePrefix(@TempDir Path prefix) throws Exception {
        assertEquals(0, KernelSpecInstaller.run(List.of("--prefix", prefix.toString(), "--jvm-opt", "-Xmx2g")));
        Path json = prefix.resolve("share/jupyter/kernels/prompttune-java/kernel.json");
        JsonObject spec = new Gson().fromJson(Files.readString(json), JsonObject.class);
        assertEquals("prompttune (Java)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertTrue(Path.of(argv.get(0)).isAbsolute() && Files.isExecutable(Path.of(argv.get(0))), argv.get(0));
        assertTrue(argv.contains("-Xmx2g"));
        // A crash leaves its report in a known place, and the kernel's stderr says where.
        String errorFile = Path.of(System.getProperty("java.io.tmpdir"), "prompttune-kernel-hs_err-%p.log").toString();
        assertTrue(argv.contains("-XX:ErrorFile=" + errorFile), argv.toString());
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("-XX:OnError=") && a.contains("crashed") && a.contains(errorFile)
                && !a.contains(";")), argv.toString());
        assertEquals(List.of(KernelMain.class.getName(), "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
        String cp = argv.get(argv.indexOf("-cp") + 1);
        for (String entry : cp.split(File.pathSeparator)) {
            assertTrue(Path.of(entry.replace("*", "")).isAbsolute(), entry);
        }
    }

    /** bin/prompttune's kernels start through its kernel-start.sh: first in argv, then the JVM command it execs. */
    @Test
    void aLauncherStartsTheJvmCommand(@TempDir Path prefix) throws Exception {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/kernel-start.sh"); // tests run in kernel-magics/
        assertEquals(0, KernelSpecInstaller.run(List.of("--prefix", prefix.toString(), "--launcher", launcher.toString())));
        JsonObject spec = new Gson().fromJson(
                Files.readString(prefix.resolve("share/jupyter/kernels/prompttune-java/kernel.json")), JsonObject.class);
        List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertEquals(launcher.toAbsolutePath().toString(), argv.get(0));
        assertTrue(argv.get(1).endsWith("/bin/java"), argv.toString());
        assertEquals(List.of(KernelMain.class.getName(), "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
    }

    @Test
    void aLauncherThatCannotRunIsRefused(@TempDir Path tmp) throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("start.sh"), "#!/bin/sh\nexec \"$@\"\n");
        Installed notRunnable = install("--prefix", tmp.toString(), "--launcher", notExecutable.toString());
        Installed missing = install("--prefix", tmp.toString(), "--launcher", tmp.resolve("gone.sh").toString());
        assertEquals(2, notRunnable.status());
        assertEquals(2, missing.status());
        assertTrue(notRunnable.err().contains("install: --launcher " + notExecutable + " is not an executable file; allowed: "),
                notRunnable.err());
        assertTrue(missing.err().contains("install: --launcher " + tmp.resolve("gone.sh")
                + " is not an executable file (it does not exist)"), missing.err());
        assertTrue(Files.notExists(tmp.resolve("share")), "nothing installed");
    }

    @Test
    void defaultClasspathIsTheCodeDirPlusTheLibWildcard() {
        // Under Maven: target/classes beside target/lib (copied at process-classes).
        String cp = KernelSpecInstaller.defaultClasspath();
        Path code = KernelSpecInstaller.codeLocation();
        assertEquals(code + File.pathSeparator + code.getParent().resolve("lib") + File.separator + "*", cp);
    }

    @Test
    void userInstallGoesToTheJupyterDataDir() {
        KernelSpecInstaller i = new KernelSpecInstaller().name("pt-test");
        assertTrue(i.kernelDir().endsWith(Path.of("kernels", "pt-test")));
        assertThrows(IllegalArgumentException.class, () -> i.name("bad name"));
    }

    @Test
    void badOptionsExitWith2() {
        assertEquals(2, KernelSpecInstaller.run(List.of("--bogus")));
        assertEquals(2, KernelSpecInstaller.run(List.of("--prefix")));
    }

    /** A prefix where no folder can be made is named in words, with exit 2 (bad input), not an exception's name. */
    @Test
    void aPrefixThatCannotHoldTheKernelspecIsNamed(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "a file");
        Installed installed = install("--prefix", file.resolve("p").toString(), "--name", "pt-test");
        assertEquals(2, installed.status());
        assertEquals("install: cannot write the kernelspec to " + file.resolve("p/share/jupyter/kernels/pt-test")
                + ": " + file + " is a file, not a folder", installed.err().trim());
    }

    /**
     * A kernelspec whose JVM cannot start is refused at install (it was written, and every start died with "Kernel died
     * before replying to kernel_info"): a java command that is not there, options java refuses, an empty option, a class
     * path entry that is not there; and two install places are one too many.
     */
    @Test
    void aKernelThatCouldNotStartIsNotInstalled(@TempDir Path tmp) {
        String prefix = tmp.resolve("p").toString();
        List<List<String>> cases = List.of(
                List.of("--java", "/nonexistent/java", "--java /nonexistent/java is not an executable file (it does not exist)"),
                List.of("--jvm-opt", "-Xmx1q", "the kernel's JVM does not start with its options: Invalid maximum heap size: -Xmx1q"),
                List.of("--jvm-opt", "", "--jvm-opt is empty"),
                List.of("--classpath", "/nonexistent.jar", "class path entry '/nonexistent.jar' does not exist"),
                List.of("--user", "--prefix", "give one of --user, --prefix DIR and --sys-prefix, not --user and --prefix"));
        for (List<String> c : cases) {
            Installed installed = c.get(0).equals("--user") ? install("--user", "--prefix", prefix, "--name", "pt-test")
                    : install("--prefix", prefix, "--name", "pt-test", c.get(0), c.get(1));
            assertEquals(2, installed.status(), installed.err());
            assertTrue(installed.err().contains(c.get(2)), installed.err());
        }
        assertTrue(Files.notExists(tmp.resolve("p")), "a kernelspec was written");
    }

    /** The installer's exit status and what it wrote to stderr. */
    private record Installed(int status, String err) {}

    private static Installed install(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Installed(KernelSpecInstaller.run(List.of(args)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
